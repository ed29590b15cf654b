// Bounded chart series: fixed memory, recent data at full resolution, peaks kept.
#include "pipeline/SeriesStore.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace greenpulse::core;

TEST(SeriesBuffer, StaysWithinCapacityForHoursOfData)
{
    SeriesBuffer buffer(256);
    for (int i = 0; i < 6 * 3600; ++i) {
        buffer.append(i * 1000.0, i % 100);
        ASSERT_LE(buffer.size(), 256);
    }
    // The newest points are kept as they came.
    EXPECT_DOUBLE_EQ(buffer.points().constLast().x(), (6 * 3600 - 1) * 1000.0);
    // ...and the oldest hour is still represented, only thinned out.
    EXPECT_LT(buffer.points().constFirst().x(), 3600 * 1000.0);
}

TEST(SeriesBuffer, DecimationKeepsPeaks)
{
    SeriesBuffer buffer(64);
    for (int i = 0; i < 1000; ++i) {
        buffer.append(i, i == 10 ? 5000.0 : 100.0);
    }
    double peak = 0;
    for (const QPointF &p : buffer.points()) {
        peak = std::max(peak, p.y());
    }
    EXPECT_DOUBLE_EQ(peak, 5000.0);
}

TEST(SeriesBuffer, IgnoresTimeGoingBackwardsAndNonFiniteValues)
{
    SeriesBuffer buffer(64);
    buffer.append(10, 1);
    buffer.append(5, 2);
    buffer.append(11, std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(buffer.points().size(), 1);
}

TEST(SeriesStore, CopiesFromATimeAndCountsRefusedSeries)
{
    SeriesStore store(128, 2);
    for (int i = 0; i < 10; ++i) {
        store.append(QStringLiteral("power/a"), i * 1000.0, i);
    }
    store.append(QStringLiteral("power/b"), 0, 1);
    store.append(QStringLiteral("power/c"), 0, 1); // over maxSeries
    EXPECT_EQ(store.seriesCount(), 2);
    EXPECT_EQ(store.droppedSeries(), 1u);
    quint64 revision = 0;
    const QVector<QPointF> recent = store.copy(QStringLiteral("power/a"), 7000, &revision);
    ASSERT_EQ(recent.size(), 3);
    EXPECT_DOUBLE_EQ(recent.first().y(), 7);
    EXPECT_EQ(revision, store.revision());
    EXPECT_EQ(store.keys(QStringLiteral("power/")).size(), 2);
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
