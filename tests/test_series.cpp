// Bounded chart series: fixed memory, recent data at full resolution, peaks kept.
#include "SeriesStore.h"

#include <gtest/gtest.h>

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
