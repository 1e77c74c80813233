// Chunk and rollup codecs: exact round trips over random and special values.
#include "storage/chunk_decoder.h"
#include "storage/chunk_encoder.h"
#include "storage/rollup_codec.h"
#include "storage/series_head.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

using namespace pulse;
using namespace pulse::storage;

namespace {

struct Points {
    std::vector<std::int64_t> ts;
    std::vector<double> values;
};

Points decodeAll(std::string_view bytes)
{
    Points p;
    auto r = ChunkDecoder::decodeRange(bytes, INT64_MIN, INT64_MAX, p.ts, p.values);
    if (!r)
        qFatal("%s", r.error().message.c_str());
    return p;
}

void checkRoundTrip(const Points &in, ValueCoding coding)
{
    ChunkEncoder enc(coding);
    for (std::size_t i = 0; i < in.ts.size(); ++i)
        QVERIFY(enc.append(in.ts[i], in.values[i]));
    const Points out = decodeAll(enc.bytes());
    QCOMPARE(out.ts, in.ts);
    QCOMPARE(out.values.size(), in.values.size());
    for (std::size_t i = 0; i < in.values.size(); ++i)
        QCOMPARE(std::bit_cast<std::uint64_t>(out.values[i]), std::bit_cast<std::uint64_t>(in.values[i]));
}

} // namespace

class TestChunkCodec : public QObject {
    Q_OBJECT
private slots:
    void specialValues()
    {
        Points p;
        const double specials[] = {staleMarker(),
                                   std::numeric_limits<double>::quiet_NaN(),
                                   std::bit_cast<double>(0x7ff8dead0000beefULL),
                                   std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity(),
                                   -0.0,
                                   0.0,
                                   std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::max(),
                                   -std::numeric_limits<double>::lowest(),
                                   1.5,
                                   staleMarker()};
        std::int64_t t = 1'700'000'000'000;
        for (double v : specials) {
            p.ts.push_back(t);
            p.values.push_back(v);
            t += 15'000;
        }
        checkRoundTrip(p, ValueCoding::Xor);
        QVERIFY(isStaleMarker(decodeAll([&] {
                                  ChunkEncoder e;
                                  e.append(0, staleMarker());
                                  return e.bytes();
                              }())
                                  .values[0]));
    }

    void decimalCodingRejectsWhatItCannotKeepExact()
    {
        QCOMPARE(ChunkEncoder::decimalsNeeded(12345.67), 2);
        QCOMPARE(ChunkEncoder::decimalsNeeded(0.1), 1);
        QCOMPARE(ChunkEncoder::decimalsNeeded(0.1 + 0.2), -1);
        QCOMPARE(ChunkEncoder::decimalsNeeded(-0.0), -1);
        QCOMPARE(ChunkEncoder::decimalsNeeded(7), 0);
        ChunkEncoder enc(ValueCoding::Decimal, 0);
        QVERIFY(enc.append(0, 42));
        QVERIFY(!enc.append(1, -0.0));
        QVERIFY(!enc.append(1, 0.5));
        QVERIFY(!enc.append(1, staleMarker()));
        QVERIFY(!enc.append(1, 1e300));
        QVERIFY(enc.append(1, -9007199254740992.0));
        QCOMPARE(enc.count(), 2);
        ChunkEncoder recoded;
        QVERIFY(ChunkEncoder::recode(enc.bytes(), ValueCoding::Xor, 0, recoded));
        QVERIFY(recoded.append(2, 0.5));
        const Points out = decodeAll(recoded.bytes());
        QCOMPARE(out.values, (std::vector<double>{42, -9007199254740992.0, 0.5}));
    }

    void randomData_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 20; ++seed)
            QTest::addRow("seed %d", seed) << seed;
    }

    void randomData()
    {
        QFETCH(int, seed);
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
        Points floats, ints;
        std::int64_t t = static_cast<std::int64_t>(rng() % 2'000'000'000'000) - 1'000'000'000'000;
        std::int64_t counter = 0;
        const int kind = seed % 4;
        for (int i = 0; i < 1000; ++i) {
            // Regular scrapes with jitter, occasional gaps, and wild jumps on some seeds.
            t += kind == 3 ? static_cast<std::int64_t>(rng() >> 20) + 1
                           : 15'000 + static_cast<std::int64_t>(rng() % 41) - 20;
            if (rng() % 50 == 0)
                t += static_cast<std::int64_t>(rng() % 10'000'000);
            floats.ts.push_back(t);
            ints.ts.push_back(t);
            double v = 0;
            switch (kind) {
            case 0:
                v = std::bit_cast<double>(rng());
                break; // any bit pattern, NaNs included
            case 1:
                v = std::round(std::sin(i / 10.0) * 1000) / 100;
                break;
            default:
                v = static_cast<double>(rng() % 1000) * 0.25;
                break;
            }
            floats.values.push_back(v);
            counter += static_cast<std::int64_t>(rng() % (seed % 2 ? 100 : 1'000'000'000));
            if (rng() % 200 == 0)
                counter = 0; // counter reset
            ints.values.push_back(static_cast<double>(seed % 5 == 0 ? -counter : counter));
        }
        checkRoundTrip(floats, ValueCoding::Xor);
        checkRoundTrip(ints, ValueCoding::Xor);
        checkRoundTrip(ints, ValueCoding::Decimal);
        checkRoundTrip(ints, ValueCoding::DecimalDelta);
        Points decimals = ints;
        for (double &v : decimals.values)
            v = static_cast<double>(static_cast<std::int64_t>(v) % 100'000'000) / 1000;
        for (ValueCoding order : {ValueCoding::Decimal, ValueCoding::DecimalDelta}) {
            ChunkEncoder enc(order, 3);
            for (std::size_t i = 0; i < decimals.ts.size(); ++i)
                QVERIFY(enc.append(decimals.ts[i], decimals.values[i]));
            QCOMPARE(decodeAll(enc.bytes()).values, decimals.values);
            // Recoding into the other order keeps every value.
            ChunkEncoder other;
            QVERIFY(ChunkEncoder::recode(enc.bytes(), enc.otherOrder(), 3, other));
            QCOMPARE(other.coding(), enc.otherOrder());
            QCOMPARE(decodeAll(other.bytes()).values, decimals.values);
        }
    }

    void extremeTimestamps()
    {
        Points p;
        for (std::int64_t t : {INT64_MIN, INT64_MIN + 1, std::int64_t{-1}, std::int64_t{0}, INT64_MAX - 1, INT64_MAX}) {
            p.ts.push_back(t);
            p.values.push_back(static_cast<double>(p.ts.size()));
        }
        checkRoundTrip(p, ValueCoding::Xor);
        checkRoundTrip(p, ValueCoding::Decimal);
        checkRoundTrip(p, ValueCoding::DecimalDelta);
    }

    void sealedChunksTakeTheCheaperIntegerOrder()
    {
        // A counter at a steady rate is cheapest as delta-of-delta, a wandering gauge as deltas. Each
        // seals in its cheaper order, exactly, and the chunk after it starts in that order.
        std::mt19937_64 rng(3);
        SeriesHead counter(1), gauge(2);
        SealedChunks sealed;
        Points counterIn, gaugeIn;
        std::int64_t level = 5000;
        for (int i = 0; i < kSealSamples + 10; ++i) {
            const std::int64_t t = 1'700'000'000'000 + i * 15'000;
            level += static_cast<std::int64_t>(rng() % 21) - 10;
            QVERIFY(counter.append(t, 100.0 * i, sealed));
            QVERIFY(gauge.append(t, static_cast<double>(level) / 100, sealed));
            if (i < kSealSamples) {
                counterIn.ts.push_back(t);
                counterIn.values.push_back(100.0 * i);
                gaugeIn.ts.push_back(t);
                gaugeIn.values.push_back(static_cast<double>(level) / 100);
            }
        }
        QCOMPARE(sealed.size(), std::size_t{2});
        const SealedChunk &first = *sealed.begin(), &second = *std::next(sealed.begin());
        const std::string_view c = sealed.bytes(first.seriesId == 1 ? first : second);
        const std::string_view g = sealed.bytes(first.seriesId == 2 ? first : second);
        QCOMPARE(static_cast<int>(c[0]), 2);                    // Decimal, 0 decimals
        QCOMPARE(static_cast<int>(g[0]), 2 + kMaxDecimals + 1 + 2); // DecimalDelta, 2 decimals
        for (const auto &[chunk, in] : {std::pair{c, &counterIn}, std::pair{g, &gaugeIn}}) {
            const Points out = decodeAll(chunk);
            QCOMPARE(out.ts, in->ts);
            QCOMPARE(out.values, in->values);
        }
        QCOMPARE(counter.chunk().coding(), ValueCoding::Decimal);
        QCOMPARE(gauge.chunk().coding(), ValueCoding::DecimalDelta);
        QCOMPARE(gauge.chunk().count(), 10);
    }

    void headsKeepTheirBufferAcrossSeals()
    {
        // A restarted encoder writes exactly what a fresh one would, and keeps its buffer; every chunk a
        // head seals keeps its bytes in the shared buffer while later ones are added (it grows and moves).
        ChunkEncoder reused(ValueCoding::Xor);
        for (int i = 0; i < 300; ++i)
            QVERIFY(reused.append(1'000 + i * 1'000, 0.1 * i));
        const std::size_t room = reused.capacity();
        for (const auto &[coding, decimals] : {std::pair{ValueCoding::Decimal, 2}, std::pair{ValueCoding::DecimalDelta, 0},
                                               std::pair{ValueCoding::Xor, 0}}) {
            reused.restart(coding, decimals);
            QCOMPARE(reused.count(), 0);
            QVERIFY(reused.capacity() >= room);
            ChunkEncoder fresh(coding, decimals);
            for (int i = 0; i < 50; ++i) {
                const double v = decimals == 2 ? 0.25 * i : 3.0 * i;
                QVERIFY(reused.append(5'000 + i * 15'000, v));
                QVERIFY(fresh.append(5'000 + i * 15'000, v));
            }
            QCOMPARE(reused.bytes(), fresh.bytes());
            QCOMPARE(reused.firstTimestampMs(), fresh.firstTimestampMs());
            QCOMPARE(reused.otherOrderIsCheaper(), fresh.otherOrderIsCheaper());
        }

        SealedChunks sealed;
        std::vector<SeriesHead> heads;
        std::vector<Points> in(64);
        for (int s = 0; s < 64; ++s)
            heads.emplace_back(s);
        for (int i = 0; i < kSealSamples + 1; ++i) {
            for (int s = 0; s < 64; ++s) {
                const std::int64_t t = 1'700'000'000'000 + i * 1'000;
                const double v = s % 2 ? 0.5 * i * s : static_cast<double>((i * 7919 + s) % 1000) / 3;
                QVERIFY(heads[static_cast<std::size_t>(s)].append(t, v, sealed));
                if (i < kSealSamples) {
                    in[static_cast<std::size_t>(s)].ts.push_back(t);
                    in[static_cast<std::size_t>(s)].values.push_back(v);
                }
            }
        }
        std::size_t raw = 0;
        for (const SealedChunk &c : sealed) {
            if (c.resolutionMs != 0) { // the first 1-minute chunks, sealed in between
                std::vector<RollupBucket> buckets;
                QVERIFY(decodeRollups(sealed.bytes(c), INT64_MIN, INT64_MAX, buckets));
                QCOMPARE(static_cast<int>(buckets.size()), c.count);
                continue;
            }
            ++raw;
            const Points out = decodeAll(sealed.bytes(c));
            QCOMPARE(c.count, kSealSamples);
            QCOMPARE(out.ts, in[static_cast<std::size_t>(c.seriesId)].ts);
            QCOMPARE(out.values.size(), in[static_cast<std::size_t>(c.seriesId)].values.size());
            for (std::size_t i = 0; i < out.values.size(); ++i)
                QCOMPARE(std::bit_cast<std::uint64_t>(out.values[i]),
                         std::bit_cast<std::uint64_t>(in[static_cast<std::size_t>(c.seriesId)].values[i]));
        }
        QCOMPARE(raw, std::size_t{64});
        for (const SeriesHead &h : heads)
            QCOMPARE(h.chunk().count(), 1);
        sealed.clear();
        QVERIFY(sealed.empty());
    }

    void firstIntegersRoundTrip()
    {
        const std::int64_t values[] = {0, 1, -1, 2, -2, 63, -64, 1'700'000'000'000, -1'700'000'000'000,
                                       INT64_MAX, INT64_MIN, INT64_MIN + 1};
        BitWriter out;
        for (std::int64_t v : values)
            writeFirstInt(out, v);
        std::string bytes;
        out.appendTo(bytes);
        BitReader in(bytes);
        for (std::int64_t v : values)
            QCOMPARE(readFirstInt(in), v);
        QVERIFY(!in.overrun());
        // A millisecond timestamp takes its 41 significant bits + 1 sign bit + 7 width bits.
        BitWriter one;
        writeFirstInt(one, 1'700'000'000'000);
        QCOMPARE(one.bitCount(), std::size_t{49});
    }

    void rollupChunksOfSchema4StillDecode()
    {
        // Tag 3: every stream's first integer in 64 bits; one bucket of XOR floats.
        const std::int64_t start = 1'700'000'040'000;
        std::string chunk{static_cast<char>(kRollupChunkTagV1), 1, 0, static_cast<char>(0xff), static_cast<char>(0xff)};
        BitWriter bits;
        bits.write(static_cast<std::uint64_t>(start), 64);
        bits.write(60'000, 64); // last timestamp − start
        bits.write(4, 64);      // count
        for (double v : {2.5, 3.0, 1.0, 9.5}) // last, max, min, sum
            bits.write(std::bit_cast<std::uint64_t>(v), 64);
        bits.appendTo(chunk);
        std::vector<RollupBucket> out;
        QVERIFY(decodeRollups(chunk, INT64_MIN, INT64_MAX, out));
        QCOMPARE(out.size(), std::size_t{1});
        QCOMPARE(out[0].startMs, start);
        QCOMPARE(out[0].lastTimestampMs, start + 60'000);
        QCOMPARE(out[0].count, std::int64_t{4});
        QCOMPARE(out[0].last, 2.5);
        QCOMPARE(out[0].max, 3.0);
        QCOMPARE(out[0].min, 1.0);
        QCOMPARE(out[0].sum, 9.5);
        // The same bucket written today is smaller and reads back equal.
        RollupEncoder enc(-1, -1);
        QVERIFY(enc.append(out[0]));
        QCOMPARE(static_cast<unsigned char>(enc.bytes()[0]), kRollupChunkTag);
        QVERIFY(enc.bytes().size() < chunk.size());
        std::vector<RollupBucket> again;
        QVERIFY(decodeRollups(enc.bytes(), INT64_MIN, INT64_MAX, again));
        QCOMPARE(again, out);
    }

    void regularScrapesAreSmall()
    {
        ChunkEncoder enc(ValueCoding::Decimal, 0);
        for (int i = 0; i < 240; ++i)
            QVERIFY(enc.append(1'700'000'000'000 + i * 15'000, 1000.0 + i * 3));
        // Header + first sample is 19 bytes; every further sample costs two bits.
        QVERIFY2(enc.bytes().size() < 90, std::to_string(enc.bytes().size()).c_str());
    }

    void repeatRunsDecodeLikeOneSampleAtATime()
    {
        // Regular series are mostly runs of bare repeats, which decodeRange takes many at a time: it
        // must give exactly what next() gives, for any range cutting into a run.
        std::mt19937_64 rng(7);
        for (ValueCoding coding : {ValueCoding::Xor, ValueCoding::Decimal, ValueCoding::DecimalDelta}) {
            ChunkEncoder enc(coding);
            std::int64_t t = 1'700'000'000'000;
            std::int64_t step = 1000;
            double v = 5;
            double slope = coding == ValueCoding::Decimal ? 3 : 0;
            for (int i = 0; i < 480; ++i) {
                if (rng() % 40 == 0)
                    step += static_cast<std::int64_t>(rng() % 7) - 3; // jitter: the run breaks
                if (rng() % 60 == 0)
                    v += static_cast<double>(rng() % 5); // a new value or slope
                if (rng() % 90 == 0)
                    slope = static_cast<double>(rng() % 4);
                t += step;
                v += slope;
                QVERIFY(enc.append(t, v));
            }
            const std::string bytes = enc.bytes();
            Points all;
            ChunkDecoder d(bytes);
            std::int64_t ts = 0;
            double value = 0;
            while (d.next(ts, value)) {
                all.ts.push_back(ts);
                all.values.push_back(value);
            }
            QCOMPARE(all.ts.size(), std::size_t{480});
            QVERIFY(decodeAll(bytes).ts == all.ts && decodeAll(bytes).values == all.values);
            for (int k = 0; k < 200; ++k) {
                const std::int64_t a = all.ts[rng() % all.ts.size()] + static_cast<std::int64_t>(rng() % 3) - 1;
                const std::int64_t b = a + static_cast<std::int64_t>(rng() % 200'000);
                Points want, got;
                for (std::size_t i = 0; i < all.ts.size(); ++i) {
                    if (all.ts[i] >= a && all.ts[i] <= b) {
                        want.ts.push_back(all.ts[i]);
                        want.values.push_back(all.values[i]);
                    }
                }
                QVERIFY(ChunkDecoder::decodeRange(bytes, a, b, got.ts, got.values));
                QCOMPARE(got.ts, want.ts);
                QCOMPARE(got.values, want.values);
            }
            // Cut inside a run: still reported corrupt, never read past the end.
            std::vector<std::int64_t> cutTs;
            std::vector<double> cutValues;
            QVERIFY(!ChunkDecoder::decodeRange(bytes.substr(0, bytes.size() * 2 / 3), INT64_MIN, INT64_MAX, cutTs,
                                               cutValues));
            QVERIFY(cutTs.size() < 480);
        }
    }

    void truncatedChunkIsReportedCorrupt()
    {
        ChunkEncoder enc;
        for (int i = 0; i < 100; ++i)
            enc.append(i * 1000, i * 0.1);
        std::string bytes = enc.bytes();
        bytes.resize(bytes.size() / 2);
        std::vector<std::int64_t> ts;
        std::vector<double> values;
        QVERIFY(!ChunkDecoder::decodeRange(bytes, INT64_MIN, INT64_MAX, ts, values));
        QVERIFY(!ChunkDecoder::decodeRange("x", INT64_MIN, INT64_MAX, ts, values) || ts.empty());
    }

    void rollupRoundTrip_data()
    {
        QTest::addColumn<int>("shape");
        QTest::addRow("any bits") << 0;
        QTest::addRow("counter") << 1;
        QTest::addRow("two decimals") << 2;
    }

    void rollupRoundTrip()
    {
        QFETCH(int, shape);
        std::mt19937_64 rng(7);
        std::vector<RollupBucket> in;
        double level = 1000;
        for (int i = 0; i < 300; ++i) {
            RollupBucket b;
            b.startMs = 1'700'000'000'000 + i * 60'000 + (i > 100 ? 600'000 : 0);
            b.count = 4 + static_cast<std::int64_t>(rng() % 2);
            b.lastTimestampMs = b.startMs + 45'000 + static_cast<std::int64_t>(rng() % 100);
            if (shape == 0) {
                b.min = i == 5 ? -0.0 : static_cast<double>(rng() % 100);
                b.max = i == 6 ? std::numeric_limits<double>::infinity() : b.min + 3;
                b.sum = std::bit_cast<double>(rng());
                b.last = b.max;
            } else {
                const double step =
                    shape == 1 ? static_cast<double>(rng() % 50) : static_cast<double>(rng() % 1500) / 100;
                b.min = level;
                level = shape == 1 ? level + step : std::round((level + step) * 100) / 100;
                b.max = b.last = level;
                b.sum = b.min + b.max + (i == 150 ? 0.1 + 0.2 : 0); // one sum that is no short decimal
            }
            in.push_back(b);
        }
        for (bool all : {false, true}) {
            RollupEncoder enc;
            if (all) {
                enc = RollupEncoder::encodeAll(in);
            } else {
                for (const RollupBucket &b : in)
                    QVERIFY(enc.append(b));
            }
            std::vector<RollupBucket> out;
            QVERIFY(decodeRollups(enc.bytes(), INT64_MIN, INT64_MAX, out));
            QCOMPARE(out.size(), in.size());
            for (std::size_t i = 0; i < in.size(); ++i) {
                QCOMPARE(out[i].startMs, in[i].startMs);
                QCOMPARE(out[i].count, in[i].count);
                QCOMPARE(out[i].lastTimestampMs, in[i].lastTimestampMs);
                for (auto field : {&RollupBucket::min, &RollupBucket::max, &RollupBucket::sum, &RollupBucket::last})
                    QCOMPARE(std::bit_cast<std::uint64_t>(out[i].*field), std::bit_cast<std::uint64_t>(in[i].*field));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestChunkCodec)
#include "tst_chunk_codec.moc"
