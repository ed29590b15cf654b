// Charts with many hosts: the top hosts are drawn with "others" (the sum of every other host,
// from SeriesSum) beside them; gaps in the data (a silent host, a broker outage) are breaks in
// the lines, and outages are shaded; a job selected in the table highlights its lines.
#include "DashboardHarness.h"
#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "charts/ChartsPanel.h"
#include "charts/SeriesSum.h"
#include "charts/TimeChart.h"
#include "pipeline/ProcessorSnapshot.h"
#include "pipeline/SeriesKeys.h"
#include "pipeline/SeriesStore.h"
#include "protocol/Protocol.h"
#include "runtime/Components.h"
#include "widgets/ControlsPanel.h"
#include "widgets/JobsPanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTableView>
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

TEST(GuiCharts, WithMoreHostsThanLinesTheTopHostsAndTheOthersAreDrawn)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    test::Dashboard dashboard(broker.url(), dir.path());
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_TRUE(dashboard.waitConnected());
    test::SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());

    // 25 hosts: host i draws 100 + i W. The top 8 are drawn; "others" is the other 17 together.
    constexpr int kHosts = 25;
    const int top = app::ChartsPanel::kDefaultMaxSeries;
    double expectedOthers = 0;
    for (int i = 0; i < kHosts - top; ++i) {
        expectedOthers += 100 + i;
    }
    app::TimeChart *power = dashboard.window->charts()->powerChart();
    const QString others = QStringLiteral("power-others");
    auto othersNow = [&] {
        const QVector<QPointF> points = power->linePoints(others);
        return points.isEmpty() ? -1.0 : points.constLast().y();
    };
    const bool drawn = waitUntil(
        [&] {
            for (int i = 0; i < kHosts; ++i) {
                publisher.power(QStringLiteral("node-%1").arg(i, 2, 10, QLatin1Char('0')), 100 + i);
            }
            test::spin(300);
            return power->lineKeys().size() == top + 1 && othersNow() == expectedOthers;
        },
        15000);
    ASSERT_TRUE(drawn) << power->lineKeys().size() << " lines, others " << othersNow();
    // The 8 largest hosts, by name.
    EXPECT_TRUE(power->lineKeys().contains(QStringLiteral("power/node-24")));
    EXPECT_TRUE(power->lineKeys().contains(QStringLiteral("power/node-17")));
    EXPECT_FALSE(power->lineKeys().contains(QStringLiteral("power/node-16")));
    EXPECT_EQ(power->lineLabel(others), QStringLiteral("others: 17 hosts, right axis"));
    EXPECT_TRUE(power->titleText().contains(QStringLiteral("top 8 of 25 hosts")))
        << qPrintable(power->titleText());
    // The legend gives each line its live value; the axes their units.
    EXPECT_EQ(power->legendText(QStringLiteral("power/node-24")), QStringLiteral("node-24  124 W"));
    EXPECT_EQ(power->valueTitle(), QStringLiteral("W"));
    EXPECT_TRUE(power->valueTitle(true).startsWith(QStringLiteral("kW"))) // 1.9 kW of others
        << qPrintable(power->valueTitle(true));
    EXPECT_FALSE(power->timeLabels().isEmpty());
}

// More hosts than the chart store keeps series for (SeriesStore's bound; 10,000 hosts and 500 jobs
// pass the window's 4,096): the title and "others" say they rank the charted hosts only, and how
// many report. No broker: the store and the snapshot are filled here.
TEST(GuiCharts, PastTheStoresBoundTheTitleSaysWhichHostsAreRanked)
{
    core::SeriesStore store(64, 8); // host series: at most 6 of the 8
    auto snapshot = std::make_shared<core::ProcessorSnapshot>();
    const double now = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    for (int i = 0; i < 10; ++i) {
        const QString host = QStringLiteral("node-%1").arg(i);
        store.append(QStringLiteral("power/") + host, now - 1000, 100 + i); // 6 kept, 4 refused
        core::HostSummary summary;
        summary.host = host;
        snapshot->hosts.push_back(summary);
    }
    ASSERT_GT(store.droppedSeries(), 0U);
    app::ChartsPanel charts(store);
    charts.setMaxSeries(2);
    charts.setSnapshot(snapshot);
    charts.refresh();
    app::TimeChart *power = charts.powerChart();
    EXPECT_TRUE(power->titleText().contains(
        QStringLiteral("top 2 of 6 charted hosts (10 reporting; the charts keep 8 series)")))
        << qPrintable(power->titleText());
    EXPECT_EQ(power->lineLabel(QStringLiteral("power-others")),
              QStringLiteral("others: 4 charted hosts, right axis"));
}

// The fault the 10,000-host bench showed, through a real broker: more hosts than the window's
// chart store keeps series for arrive before a job starts. The hosts may take only their share,
// so the job still gets its energy series (before, the store was full and refused it: the job
// charts showed only idle), and the power chart says it ranks the charted hosts.
TEST(GuiCharts, AFleetLargerThanTheChartStoreLeavesRoomForAJobStartedAfterIt)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    test::Dashboard dashboard(broker.url(), dir.path(),
                              {QStringLiteral("--max-new-ids-per-minute"), QStringLiteral("0"),
                               QStringLiteral("--max-hosts"), QStringLiteral("0")});
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_TRUE(dashboard.waitConnected());
    test::SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());
    const core::SeriesStore &store = dashboard.components->series;
    const int hosts = store.maxSeries() + 100;
    const QString prefix = core::serieskeys::prefix(core::serieskeys::Kind::Power);
    ASSERT_TRUE(waitUntil(
        [&] {
            for (int i = 0; i < hosts; ++i) {
                publisher.power(QStringLiteral("fleet-%1").arg(i, 5, 10, QLatin1Char('0')), 300);
            }
            test::spin(1500);
            return store.droppedSeries() > 0;
        },
        30000))
        << store.keys(prefix).size() << " host series";
    EXPECT_EQ(store.keys(prefix).size(),
              static_cast<int>(store.maxSeries() * core::SeriesStore::kHostShare));

    core::ControlMessage start;
    start.status = core::JobStatus::Start;
    start.jobId = QStringLiteral("Late_Job_1764590000_0a1b2c");
    start.host = QStringLiteral("fleet-00000");
    start.timestampNs = test::nowNs();
    publisher.client->publish(core::topics::kControl, core::encode(start), 1);
    const QString kwh = core::serieskeys::key(core::serieskeys::Kind::Kwh, start.jobId);
    EXPECT_TRUE(waitUntil(
        [&] {
            publisher.power(start.host, 300);
            test::spin(500);
            return !store.copy(kwh).isEmpty();
        },
        15000));
    dashboard.window->charts()->refresh();
    EXPECT_TRUE(dashboard.window->charts()->powerChart()->titleText().contains(
        QStringLiteral("charted hosts (%1 reporting").arg(hosts)))
        << qPrintable(dashboard.window->charts()->powerChart()->titleText());
}

TEST(GuiCharts, ASilentHostAndABrokerOutageAreBreaksNotHeldLines)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    // A 2-second gap bound, so the test waits seconds, not minutes.
    test::Dashboard dashboard(broker.url(), dir.path(),
                              {QStringLiteral("--max-gap-s"), QStringLiteral("2")});
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_TRUE(dashboard.waitConnected());
    app::ChartsPanel *charts = dashboard.window->charts();
    app::TimeChart *power = charts->powerChart();
    const QString a = QStringLiteral("power/host-a");
    const QString b = QStringLiteral("power/host-b");
    auto publishFor = [&](int ms, bool withA) {
        test::SamplePublisher publisher(broker.url());
        if (!publisher.waitConnected()) {
            return false;
        }
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            if (withA) {
                publisher.power(QStringLiteral("host-a"), 300);
            }
            publisher.power(QStringLiteral("host-b"), 200);
            test::spin(200);
        }
        return true;
    };
    ASSERT_TRUE(publishFor(3000, true));
    ASSERT_TRUE(publishFor(7000, false)); // a silent for 7 s: longer than the gap bound
    ASSERT_TRUE(publishFor(3000, true));
    charts->refresh();
    const auto runsA = power->lineRuns(a);
    ASSERT_EQ(runsA.size(), 2) << runsA.size() << " runs";
    // The break lasts at least the silence less the gap bound: no value held across it.
    EXPECT_GE(runsA[1].constFirst().x() - runsA[0].constLast().x(), 7000 - 2000 - 1000);
    EXPECT_EQ(power->lineRuns(b).size(), 1);
    EXPECT_TRUE(power->gapMarks().contains(runsA[0].constLast()));
    EXPECT_EQ(power->outageCount(), 0);

    // The broker goes away for 5 s: both lines break, and the span is shaded on every chart.
    broker.stop();
    test::spin(5000);
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    ASSERT_TRUE(dashboard.waitConnected(15000));
    ASSERT_TRUE(publishFor(3000, true));
    charts->refresh();
    EXPECT_EQ(power->lineRuns(b).size(), 2);
    EXPECT_EQ(power->lineRuns(a).size(), 3);
    EXPECT_EQ(power->outageCount(), 1);
    EXPECT_EQ(charts->energyChart()->outageCount(), 1);
    EXPECT_EQ(charts->coolantChart()->outageCount(), 1);
}

TEST(GuiCharts, SelectingAJobHighlightsItsHostsAndSpan)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    test::Dashboard dashboard(broker.url(), dir.path());
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_TRUE(dashboard.waitConnected());
    test::SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());
    app::MainWindow &w = *dashboard.window;
    QComboBox *hostBox = w.controls()->hostBox();
    ASSERT_TRUE(waitUntil(
        [&] {
            publisher.power(QStringLiteral("gpu-a"), 300);
            publisher.power(QStringLiteral("gpu-b"), 200);
            test::spin(200);
            return hostBox->findData(QStringLiteral("gpu-b")) >= 0;
        },
        10000));
    w.controls()->nameEdit()->setText(QStringLiteral("Train"));
    hostBox->setCurrentIndex(hostBox->findData(QStringLiteral("gpu-b")));
    const QString job = w.startJob();
    ASSERT_FALSE(job.isEmpty());
    app::ChartsPanel *charts = w.charts();
    ASSERT_TRUE(waitUntil(
        [&] {
            publisher.power(QStringLiteral("gpu-a"), 300);
            publisher.power(QStringLiteral("gpu-b"), 200);
            test::spin(200);
            w.jobsPanel()->selectJob(job); // the table's selection drives the charts
            return charts->powerChart()->emphasis().contains(QStringLiteral("power/gpu-b"));
        },
        10000));
    const QSet<QString> power = charts->powerChart()->emphasis();
    EXPECT_TRUE(power.contains(job)) << "the job's span";
    EXPECT_FALSE(power.contains(QStringLiteral("power/gpu-a")));
    EXPECT_EQ(charts->energyChart()->emphasis(), QSet<QString>{QStringLiteral("kwh/") + job});
    w.jobsPanel()->view()->clearSelection();
    EXPECT_TRUE(charts->powerChart()->emphasis().isEmpty());
    // The filter box does the same for every job it matches (by id or host).
    QLineEdit *filter = w.jobsPanel()->findChild<QLineEdit *>();
    ASSERT_NE(filter, nullptr);
    filter->setText(QStringLiteral("trai"));
    EXPECT_TRUE(charts->powerChart()->emphasis().contains(QStringLiteral("power/gpu-b")));
    filter->setText(QStringLiteral("GPU-B"));
    EXPECT_TRUE(charts->powerChart()->emphasis().contains(job));
    filter->clear();
    EXPECT_TRUE(charts->powerChart()->emphasis().isEmpty());
}
