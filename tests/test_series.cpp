// Bounded chart series: fixed memory, recent data at full resolution, peaks kept.
#include "pipeline/SeriesStore.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

// Every kept point is one that was appended (x -> y as given), in order of time.
void expectAppendedPointsInOrder(const QVector<QPointF> &points, double (*y)(double))
{
    for (int i = 0; i < points.size(); ++i) {
        EXPECT_DOUBLE_EQ(points[i].y(), y(points[i].x())) << "point " << i << " was not appended";
        if (i > 0) {
            EXPECT_GT(points[i].x(), points[i - 1].x()) << "point " << i << " out of order";
        }
    }
}

} // namespace

TEST(SeriesBuffer, StaysWithinCapacityForHoursOfData)
{
    constexpr int kCapacity = 256;
    constexpr int kCount = 6 * 3600;
    auto y = [](double x) { return static_cast<double>(static_cast<long long>(x / 1000) % 100); };
    SeriesBuffer buffer(kCapacity);
    for (int i = 0; i < kCount; ++i) {
        buffer.append(i * 1000.0, y(i * 1000.0));
        ASSERT_LE(buffer.size(), kCapacity);
    }
    const QVector<QPointF> points = buffer.points();
    expectAppendedPointsInOrder(points, y);
    // The newest half of the capacity is kept as it came: the last 128 seconds, every one.
    ASSERT_GE(points.size(), kCapacity / 2);
    for (int k = 0; k < kCapacity / 2; ++k) {
        const double x = (kCount - 1 - k) * 1000.0;
        EXPECT_EQ(points[points.size() - 1 - k], QPointF(x, y(x))) << k;
    }
    // The older part is an archive: thinned out at a uniform stride, the oldest hour still there.
    const QVector<QPointF> archive = points.mid(0, points.size() - kCapacity / 2);
    ASSERT_GE(archive.size(), kCapacity / 4);
    EXPECT_LT(archive.constFirst().x(), 3600 * 1000.0);
    double widestGap = 0;
    for (int i = 1; i < archive.size(); ++i) {
        widestGap = std::max(widestGap, archive[i].x() - archive[i - 1].x());
    }
    // Never more than two buckets between archived points: the history has no holes.
    const double stride = 1000.0 * (kCount - kCapacity / 2) / archive.size();
    EXPECT_LE(widestGap, 4 * stride) << "archive of " << archive.size() << " points";
}

// Capacity 16: the newest 8 points as they came, older ones archived (8 at most, then halved).
// After 0..15 with y = x, points 0..7 filled the archive and were halved pair by pair, each pair
// keeping the point farther from the mean of its neighbours: (0,1) -> 0, (2,3) -> 3, (4,5) -> 4,
// (6,7) -> 7, so the line keeps its ends and its slope.
TEST(SeriesBuffer, KeepsTheNewestPointsAndHalvesTheArchiveKeepingTheExtremes)
{
    SeriesBuffer buffer(16);
    for (int i = 0; i < 16; ++i) {
        buffer.append(i, i);
    }
    const QVector<QPointF> expected = {{0, 0},   {3, 3},   {4, 4},   {7, 7},   {8, 8},   {9, 9},
                                       {10, 10}, {11, 11}, {12, 12}, {13, 13}, {14, 14}, {15, 15}};
    EXPECT_EQ(buffer.points(), expected);
    EXPECT_EQ(buffer.size(), expected.size());
    EXPECT_EQ(buffer.last(), QPointF(15, 15));
}

TEST(SeriesBuffer, DecimationKeepsPeaks)
{
    // A one-sample spike and, 200 samples later, a one-sample dip, at several ages, long after
    // they were archived (one archived point per bucket: a spike and a dip in the same bucket
    // would keep only the larger swing).
    for (int at : {3, 10, 333, 700}) {
        SeriesBuffer buffer(64);
        for (int i = 0; i < 1000; ++i) {
            buffer.append(i, i == at ? 5000.0 : i == at + 200 ? -300.0 : 100.0);
        }
        const QVector<QPointF> points = buffer.points();
        ASSERT_LE(points.size(), 64);
        EXPECT_TRUE(points.contains(QPointF(at, 5000))) << "spike at " << at << " lost";
        EXPECT_TRUE(points.contains(QPointF(at + 200, -300))) << "dip at " << at + 200 << " lost";
        // Everything else kept is the flat line, as appended.
        for (const QPointF &p : points) {
            if (p.x() != at && p.x() != at + 200) {
                EXPECT_EQ(p.y(), 100.0) << p.x();
            }
        }
    }
}

TEST(SeriesBuffer, IgnoresTimeGoingBackwardsAndNonFiniteValues)
{
    SeriesBuffer buffer(64);
    buffer.append(10, 1);
    buffer.append(5, 2);                                         // backwards: ignored
    buffer.append(11, std::numeric_limits<double>::quiet_NaN()); // not a number: ignored
    buffer.append(std::numeric_limits<double>::infinity(), 3);   // not a time: ignored
    buffer.append(10, 4); // the same time again is not backwards: kept
    buffer.append(12, 5);
    EXPECT_EQ(buffer.points(), (QVector<QPointF>{{10, 1}, {10, 4}, {12, 5}}));
}

TEST(SeriesStore, CopiesFromATimeAndCountsRefusedSeries)
{
    SeriesStore store(128, 2);
    for (int i = 0; i < 10; ++i) {
        store.append(QStringLiteral("kwh/a"), i * 1000.0, i);
    }
    store.append(QStringLiteral("kwh/b"), 0, 1);
    store.append(QStringLiteral("kwh/c"), 0, 1); // over maxSeries
    EXPECT_EQ(store.seriesCount(), 2);
    EXPECT_EQ(store.droppedSeries(), 1u);
    EXPECT_EQ(store.keys(), (QStringList{QStringLiteral("kwh/a"), QStringLiteral("kwh/b")}));
    EXPECT_TRUE(store.copy(QStringLiteral("kwh/c")).isEmpty());
    quint64 revision = 0;
    EXPECT_EQ(store.copy(QStringLiteral("kwh/a"), 7000, &revision),
              (QVector<QPointF>{{7000, 7}, {8000, 8}, {9000, 9}}));
    EXPECT_EQ(revision, store.revision());
    EXPECT_EQ(store.revision(), 11u); // one per accepted append, none for the refused one

    // Removing a series frees its place (and bumps the revision); an unknown key changes nothing.
    store.remove(QStringLiteral("kwh/b"));
    store.remove(QStringLiteral("kwh/unknown"));
    EXPECT_EQ(store.revision(), 12u);
    store.append(QStringLiteral("kwh/c"), 0, 1);
    EXPECT_EQ(store.keys(QStringLiteral("kwh/")),
              (QStringList{QStringLiteral("kwh/a"), QStringLiteral("kwh/c")}));
    EXPECT_EQ(store.copy(QStringLiteral("kwh/c")), (QVector<QPointF>{{0, 1}}));
    EXPECT_EQ(store.droppedSeries(), 1u);
}

// A dashboard left open for days sees thousands of jobs come and go, and a large fleet has more
// hosts than the store keeps: ended jobs and gone hosts make room for new ones, and the hosts
// never take the last quarter from the jobs.
TEST(SeriesStore, StaleSeriesMakeRoomAndHostsLeaveRoomForJobs)
{
    constexpr double kHour = 3600 * 1000.0;
    SeriesStore store(16, 8); // at most 6 host series
    for (int i = 0; i < 10; ++i) {
        store.append(QStringLiteral("power/h%1").arg(i), 0, 1);
    }
    EXPECT_EQ(store.keys(QStringLiteral("power/")).size(), 6);
    EXPECT_EQ(store.droppedSeries(), 4u);
    store.append(QStringLiteral("kwh/j0"), 0, 1); // the hosts left room for these two
    store.append(QStringLiteral("kwh/j1"), 0, 1);
    EXPECT_EQ(store.seriesCount(), 8);
    store.append(QStringLiteral("kwh/late"), kHour, 1); // full, and nothing hours old: refused
    EXPECT_EQ(store.droppedSeries(), 5u);
    EXPECT_EQ(store.evictedSeries(), 0u);

    // Seven hours on, every series but h0 and j0 has gone quiet: the new ones take the places of
    // the quiet ones (the job the first quiet key, kwh/j1; the host a host's, power/h1, as hosts
    // are at their share), and the live ones are kept.
    const double later = SeriesStore::kKeepMs + kHour;
    store.append(QStringLiteral("power/h0"), later - 1000, 2);
    store.append(QStringLiteral("kwh/j0"), later - 1000, 2);
    store.append(QStringLiteral("kwh/new"), later, 3);
    store.append(QStringLiteral("power/new"), later, 3);
    EXPECT_EQ(store.evictedSeries(), 2u);
    EXPECT_EQ(store.seriesCount(), 8);
    EXPECT_EQ(store.copy(QStringLiteral("kwh/new")), (QVector<QPointF>{{later, 3}}));
    EXPECT_EQ(store.copy(QStringLiteral("power/new")), (QVector<QPointF>{{later, 3}}));
    EXPECT_EQ(store.copy(QStringLiteral("power/h0")).size(), 2);
    EXPECT_EQ(store.copy(QStringLiteral("kwh/j0")).size(), 2);
    EXPECT_EQ(store.keys(QStringLiteral("kwh/")),
              (QStringList{QStringLiteral("kwh/j0"), QStringLiteral("kwh/new")}));
    EXPECT_EQ(store.keys(QStringLiteral("power/")).size(), 6);
    EXPECT_FALSE(store.keys().contains(QStringLiteral("power/h1")));
}

TEST(SeriesBuffer, PointsFromATimeAcrossTheArchiveAndTheRecentPoints)
{
    SeriesBuffer buffer(64);
    for (int i = 0; i < 1000; ++i) {
        buffer.append(i * 1000.0, i);
    }
    const QVector<QPointF> all = buffer.points();
    for (double from : {-1.0, 0.0, 500'500.0, all.at(20).x(), all.at(40).x(), 999'000.0, 2e6}) {
        QVector<QPointF> expected;
        std::copy_if(all.cbegin(), all.cend(), std::back_inserter(expected),
                     [from](const QPointF &p) { return p.x() >= from; });
        EXPECT_EQ(buffer.points(from), expected) << from;
    }
    EXPECT_EQ(buffer.last(), QPointF(999'000, 999));
    EXPECT_TRUE(std::isnan(SeriesBuffer(16).last().x()));
}

TEST(SeriesStore, LatestPointOfEverySeriesUnderAPrefix)
{
    SeriesStore store;
    store.append(QStringLiteral("power/a"), 1000, 5);
    store.append(QStringLiteral("power/a"), 2000, 7);
    store.append(QStringLiteral("power/b"), 1500, 3);
    store.append(QStringLiteral("flow/a"), 2000, 1);
    QVector<SeriesStore::Latest> latest = store.latest(QStringLiteral("power/"));
    std::sort(latest.begin(), latest.end(),
              [](const auto &l, const auto &r) { return l.key < r.key; });
    ASSERT_EQ(latest.size(), 2);
    EXPECT_EQ(latest[0].key, QStringLiteral("power/a"));
    EXPECT_EQ(latest[0].point, QPointF(2000, 7));
    EXPECT_EQ(latest[1].key, QStringLiteral("power/b"));
    EXPECT_EQ(latest[1].point, QPointF(1500, 3));
}
