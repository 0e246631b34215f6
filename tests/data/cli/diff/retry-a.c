#include <stdio.h>

static int attempts(void)
{
    return 5;
}

static int delay_ms(int attempt)
{
    return 1000;
}

int main(void)
{
    for (int i = 0; i < attempts(); ++i)
        printf("attempt %d, wait %d ms\n", i, delay_ms(i));
    return 0;
}
