// SeriesFingerprint is SipHash-2-4-128 exactly (the reference implementation's vectors, key 00..0f,
// message 00..len-1), and SeriesKeyIndex finds every key it was given and nothing else, across growth.
#include "storage/series_fingerprint.h"
#include "storage/series_key_index.h"

#include <QTest>

#include <array>
#include <string>

using namespace pulse::storage;

namespace {

struct Vector {
    std::size_t length;
    std::array<unsigned char, 16> digest;
};

// From the SipHash reference implementation's vectors_sip128 (Aumasson and Bernstein).
constexpr Vector kVectors[] = {
    {0, {0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55, 0x02, 0x93}},
    {1, {0xda, 0x87, 0xc1, 0xd8, 0x6b, 0x99, 0xaf, 0x44, 0x34, 0x76, 0x59, 0x11, 0x9b, 0x22, 0xfc, 0x45}},
    {2, {0x81, 0x77, 0x22, 0x8d, 0xa4, 0xa4, 0x5d, 0xc7, 0xfc, 0xa3, 0x8b, 0xde, 0xf6, 0x0a, 0xff, 0xe4}},
    {7, {0xa1, 0xf1, 0xeb, 0xbe, 0xd8, 0xdb, 0xc1, 0x53, 0xc0, 0xb8, 0x4a, 0xa6, 0x1f, 0xf0, 0x82, 0x39}},
    {8, {0x3b, 0x62, 0xa9, 0xba, 0x62, 0x58, 0xf5, 0x61, 0x0f, 0x83, 0xe2, 0x64, 0xf3, 0x14, 0x97, 0xb4}},
    {15, {0x54, 0x93, 0xe9, 0x99, 0x33, 0xb0, 0xa8, 0x11, 0x7e, 0x08, 0xec, 0x0f, 0x97, 0xcf, 0xc3, 0xd9}},
    {63, {0x51, 0x50, 0xd1, 0x77, 0x2f, 0x50, 0x83, 0x4a, 0x50, 0x3e, 0x06, 0x9a, 0x97, 0x3f, 0xbd, 0x7c}},
};

constexpr SipKey kReferenceKey{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};

std::array<unsigned char, 16> bytesOf(const SeriesFingerprint &fp)
{
    std::array<unsigned char, 16> out{};
    for (int i = 0; i < 8; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<unsigned char>(fp.lo >> (8 * i));
        out[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(fp.hi >> (8 * i));
    }
    return out;
}

} // namespace

class TstSeriesKeyIndex : public QObject {
    Q_OBJECT
private slots:
    void sipHash128MatchesTheReferenceVectors()
    {
        for (const Vector &v : kVectors) {
            std::string message;
            for (std::size_t i = 0; i < v.length; ++i)
                message.push_back(static_cast<char>(i));
            QVERIFY2(bytesOf(sipHash128(kReferenceKey, message)) == v.digest,
                     qPrintable(QStringLiteral("length %1").arg(v.length)));
        }
    }

    void randomKeysDiffer()
    {
        const SipKey a = SipKey::random(), b = SipKey::random();
        QVERIFY(a.k0 != b.k0 || a.k1 != b.k1);
        QVERIFY(!(sipHash128(a, "up") == sipHash128(b, "up")));
    }

    void findsWhatWasInsertedAcrossGrowth()
    {
        SeriesKeyIndex index(kReferenceKey);
        QVERIFY(!index.find("anything"));
        constexpr std::uint32_t kCount = 50'000; // the table grows from 1,024 slots several times
        for (std::uint32_t i = 0; i < kCount; ++i)
            index.insert("series-" + std::to_string(i), i * 3);
        QCOMPARE(index.size(), std::size_t{kCount});
        for (std::uint32_t i = 0; i < kCount; ++i) {
            const auto found = index.find("series-" + std::to_string(i));
            QVERIFY(found);
            QCOMPARE(*found, i * 3);
        }
        QVERIFY(!index.find("series-" + std::to_string(kCount)));
        QVERIFY(!index.find(""));
        // Keys differing only in bytes that delimiters would hide (series_key.h length-prefixes fields).
        SeriesKeyIndex bytes(kReferenceKey);
        bytes.insert(std::string("a\0b", 3), 1);
        bytes.insert(std::string("a\0c", 3), 2);
        QCOMPARE(*bytes.find(std::string("a\0b", 3)), 1u);
        QCOMPARE(*bytes.find(std::string("a\0c", 3)), 2u);
        QVERIFY(!bytes.find("a"));
    }

    void compactDropsAndRenumbers()
    {
        SeriesKeyIndex index(kReferenceKey);
        constexpr std::uint32_t kCount = 5'000;
        for (std::uint32_t i = 0; i < kCount; ++i)
            index.insert("series-" + std::to_string(i), i);
        // Every third entry goes; the rest close up in order.
        std::vector<std::uint32_t> newIndex(kCount, SeriesKeyIndex::kGone);
        std::uint32_t next = 0;
        for (std::uint32_t i = 0; i < kCount; ++i) {
            if (i % 3 != 0)
                newIndex[i] = next++;
        }
        index.compact(newIndex);
        QCOMPARE(index.size(), std::size_t{next});
        for (std::uint32_t i = 0; i < kCount; ++i) {
            const auto found = index.find("series-" + std::to_string(i));
            if (i % 3 == 0) {
                QVERIFY(!found);
            } else {
                QVERIFY(found);
                QCOMPARE(*found, newIndex[i]);
            }
        }
        // A dropped key can come back with a new index.
        index.insert("series-0", next);
        QCOMPARE(*index.find("series-0"), next);
    }
};

QTEST_GUILESS_MAIN(TstSeriesKeyIndex)
#include "tst_series_key_index.moc"
