// Charts with many hosts: the top hosts are drawn with the sum of every host beside them, kept
// incrementally by SeriesSum; long series are cut to what the plot can show.
#include "DashboardHarness.h"
#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "charts/ChartsPanel.h"
#include "charts/SeriesSum.h"
#include "charts/TimeChart.h"
#include "pipeline/SeriesStore.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse;
using test::waitUntil;

TEST(SeriesSum, AddsEverySeriesPerSecondIncrementally)
{
    core::SeriesStore store;
    app::SeriesSum sum(QStringLiteral("power/"), 3'600'000);
    store.append(QStringLiteral("power/a"), 10'500, 100);
    store.append(QStringLiteral("power/b"), 10'500, 50);
    store.append(QStringLiteral("flow/a"), 10'500, 7); // another prefix: not counted
    sum.update(store);
    store.append(QStringLiteral("power/a"), 11'500, 110);
    sum.update(store);
    store.append(QStringLiteral("power/b"), 11'500, 40); // arrives after a's: same second
    sum.update(store);
    sum.update(store); // nothing new: nothing added twice
    EXPECT_EQ(sum.points(0), (QVector<QPointF>{{10'000, 150}, {11'000, 150}}));
    EXPECT_EQ(sum.points(11'000), (QVector<QPointF>{{11'000, 150}}));
    EXPECT_EQ(sum.seriesCount(), 2);

    // Older than the kept span: forgotten.
    store.append(QStringLiteral("power/a"), 3'700'000, 1);
    sum.update(store);
    EXPECT_EQ(sum.points(0), (QVector<QPointF>{{3'700'000, 1}}));
}

TEST(GuiCharts, WithMoreHostsThanLinesTheTopHostsAndTheirSumAreDrawn)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    test::Dashboard dashboard(broker.url(), dir.path());
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_TRUE(dashboard.waitConnected());
    test::SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());

    // 25 hosts: host i draws 100 + i W.
    constexpr int kHosts = 25;
    double expectedSum = 0;
    for (int i = 0; i < kHosts; ++i) {
        expectedSum += 100 + i;
    }
    app::TimeChart *power = dashboard.window->charts()->powerChart();
    auto totalNow = [&] {
        const QVector<QPointF> points = power->linePoints(QStringLiteral("power-total"));
        return points.isEmpty() ? -1.0 : points.constLast().y();
    };
    const bool drawn = waitUntil(
        [&] {
            for (int i = 0; i < kHosts; ++i) {
                publisher.power(QStringLiteral("node-%1").arg(i, 2, 10, QLatin1Char('0')), 100 + i);
            }
            test::spin(300);
            return power->lineKeys().size() == 21 && totalNow() == expectedSum;
        },
        15000);
    ASSERT_TRUE(drawn) << power->lineKeys().size() << " lines, total " << totalNow();
    // The 20 largest hosts, by name.
    EXPECT_TRUE(power->lineKeys().contains(QStringLiteral("power/node-24")));
    EXPECT_TRUE(power->lineKeys().contains(QStringLiteral("power/node-05")));
    EXPECT_FALSE(power->lineKeys().contains(QStringLiteral("power/node-04")));
    EXPECT_EQ(power->lineLabel(QStringLiteral("power-total")),
              QStringLiteral("all 25 hosts (right axis)"));
    EXPECT_TRUE(power->titleText().contains(QStringLiteral("top 20 of 25 hosts")))
        << qPrintable(power->titleText());
}
