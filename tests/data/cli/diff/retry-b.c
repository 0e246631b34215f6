#include <stdio.h>

static int attempts(void)
{
    return 5;
}

static int cap_ms(void)
{
    return 30000;
}

static int delay_ms(int attempt)
{
    int d = 500 << attempt;
    return d < cap_ms() ? d : cap_ms();
}

int main(void)
{
    for (int i = 0; i < attempts(); ++i)
        printf("attempt %d, wait %d ms\n", i, delay_ms(i));
    return 0;
}
