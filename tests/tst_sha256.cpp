#include "domain/sha256.h"

#include <QTest>

using namespace hp;

// FIPS 180-2 / NIST CSRC example vectors for SHA-256.
class TstSha256 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nistVectorsMatch_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("hex");
        QTest::newRow("empty") << QByteArray()
                               << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        QTest::newRow("abc") << QByteArray("abc")
                             << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                  << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        QTest::newRow("million a") << QByteArray(1000000, 'a')
                                   << QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    void nistVectorsMatch()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, hex);
        QCOMPARE(Sha256::digest(input).toHex(), hex);
        Sha256 h;
        h.update(input);
        QCOMPARE(h.finish().toHex(), hex);
    }

    void incrementalUpdatesEqualOneShot()
    {
        const QByteArray data(1000000, 'a');
        Sha256 h;
        for (qsizetype i = 0; i < data.size(); i += 4093)
            h.update(QByteArrayView(data.constData() + i, std::min<qsizetype>(4093, data.size() - i)));
        QCOMPARE(h.finish(), Sha256::digest(data));
    }

    void reusedContextGivesIndependentDigests()
    {
        Sha256 h;
        h.update("abc");
        const QByteArray first = h.finish();
        // finish() resets: the next digest must not see "abc".
        h.update("abc");
        QCOMPARE(h.finish(), first);
        const QByteArray empty = h.finish();
        QCOMPARE(empty.toHex(), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        h.update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
        QCOMPARE(h.finish().toHex(), QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        QCOMPARE(Sha256::digest("abc"), first);
        QCOMPARE(Sha256::digest("abc"), first); // thread-local one-shot context reused
    }

    void resetDiscardsPendingInput()
    {
        Sha256 h;
        h.update("garbage");
        h.reset();
        h.update("abc");
        QCOMPARE(h.finish().toHex(), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void digestIsThirtyTwoRawBytes()
    {
        QCOMPARE(Sha256::digest("x").size(), 32);
    }
};

QTEST_GUILESS_MAIN(TstSha256)
#include "tst_sha256.moc"
