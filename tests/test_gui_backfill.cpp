// Reopening the dashboard (issue 16, point 9): the charts come back filled from InfluxDB
// (ChartBackfill), the jobs table's sort, the splitter and the colours are kept; a job's span is
// drawn only where its series have points; the carbon chart marks a change of the intensity in
// force (point 4).
#include "DashboardHarness.h"
#include "InfluxServer.h"
#include "TestSupport.h"
#include "charts/ChartPalette.h"
#include "charts/ChartsPanel.h"
#include "charts/TimeChart.h"
#include "pipeline/ProcessorSnapshot.h"
#include "pipeline/SeriesKeys.h"
#include "pipeline/SeriesStore.h"
#include "runtime/ChartBackfill.h"
#include "widgets/ControlsPanel.h"
#include "widgets/JobsPanel.h"
#include "widgets/StatusBar.h"

#include <QComboBox>
#include <QDateTime>
#include <QHeaderView>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <algorithm>
#include <gtest/gtest.h>

using namespace greenpulse;
using core::serieskeys::Kind;
using test::waitUntil;

namespace {

QStringList influxArgs(const test::InfluxServer &influx, const QTemporaryDir &dir)
{
    return {QStringLiteral("--influx-url"), influx.url(),
            QStringLiteral("--influx-db"),  QStringLiteral("gui_backfill"),
            QStringLiteral("--spool-dir"),  dir.filePath(QStringLiteral("spool"))};
}

int rows(test::InfluxServer &influx, const QString &influxql)
{
    return static_cast<int>(influx.rows(influxql, QStringLiteral("gui_backfill")).size());
}

} // namespace

TEST(GuiBackfill, ASecondDashboardOpensWithTheFirstOnesHistorySortAndSplitter)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    test::InfluxServer influx;
    ASSERT_TRUE(influx.start()) << qPrintable(influx.lastError());
    QTemporaryDir dir;
    const QString host = QStringLiteral("bf-host");
    QString job;
    QList<int> sizes;
    double closedMs = 0;
    {
        test::Dashboard first(broker.url(), dir.path(), influxArgs(influx, dir));
        ASSERT_TRUE(first.parsed);
        ASSERT_TRUE(first.waitConnected());
        test::SamplePublisher publisher(broker.url());
        ASSERT_TRUE(publisher.waitConnected());
        app::MainWindow &w = *first.window;
        QComboBox *hostBox = w.controls()->hostBox();
        ASSERT_TRUE(waitUntil(
            [&] {
                publisher.power(host, 300);
                publisher.flow(host, 12, 31);
                test::spin(200);
                return hostBox->findData(host) >= 0;
            },
            10000));
        w.controls()->nameEdit()->setText(QStringLiteral("Backfilled"));
        hostBox->setCurrentIndex(hostBox->findData(host));
        job = w.startJob();
        ASSERT_FALSE(job.isEmpty());
        // Written by this dashboard: its host's power and its job's energy, for some seconds.
        ASSERT_TRUE(waitUntil(
            [&] {
                publisher.power(host, 300);
                publisher.flow(host, 12, 31);
                test::spin(200);
                return rows(influx, QStringLiteral("SELECT watts FROM host_telemetry WHERE "
                                                   "host = '%1'")
                                        .arg(host)) >= 5 &&
                       rows(influx, QStringLiteral("SELECT cumulative_kwh FROM "
                                                   "environmental_footprint WHERE job_id = '%1'")
                                        .arg(job)) >= 5;
            },
            30000));
        // The operator sorts by the second column, ascending, and drags the splitter.
        w.jobsPanel()->view()->sortByColumn(1, Qt::AscendingOrder);
        auto *splitter = w.findChild<QSplitter *>();
        ASSERT_NE(splitter, nullptr);
        const int total = splitter->sizes().value(0) + splitter->sizes().value(1);
        // Not the default 3:2, and the table keeps its rows (MainWindow::kMinTableRows).
        splitter->setSizes({total / 3, total - total / 3});
        sizes = splitter->sizes();
        emit splitter->splitterMoved(sizes.value(0), 1); // what dragging the handle says
        closedMs = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    } // closed: the window's state is saved in dir's gui.ini

    test::Dashboard second(broker.url(), dir.path(), influxArgs(influx, dir));
    ASSERT_TRUE(second.parsed);
    app::MainWindow &w = *second.window;
    app::ChartBackfill &backfill = *second.components->backfill;
    ASSERT_TRUE(waitUntil([&] { return backfill.fills() >= 1; }, 20000));
    EXPECT_EQ(backfill.failures(), 0u) << backfill.lastError().toStdString();
    EXPECT_GT(backfill.pointsTaken(), 0u);
    // No sample has arrived since: what the charts show before closedMs is the history.
    app::ChartsPanel *charts = w.charts();
    charts->refresh();
    const QVector<QPointF> power =
        charts->powerChart()->linePoints(core::serieskeys::key(Kind::Power, host));
    ASSERT_GE(power.size(), 3);
    EXPECT_LT(power.constFirst().x(), closedMs);
    EXPECT_EQ(power.constLast().y(), 300);
    EXPECT_TRUE(charts->energyChart()->lineKeys().contains(core::serieskeys::key(Kind::Kwh, job)));
    EXPECT_TRUE(
        charts->coolantChart()->lineKeys().contains(core::serieskeys::key(Kind::Temp, host)));

    const QHeaderView *header = w.jobsPanel()->view()->horizontalHeader();
    EXPECT_EQ(header->sortIndicatorSection(), 1);
    EXPECT_EQ(header->sortIndicatorOrder(), Qt::AscendingOrder);
    // The charts keep the share of the height they were dragged to (a window manager or a smaller
    // screen may size the window a little differently; the default is 3:2, 0.6).
    test::spin(200);
    auto share = [](const QList<int> &s) {
        return static_cast<double>(s.value(0)) / std::max(1, s.value(0) + s.value(1));
    };
    EXPECT_NEAR(share(w.findChild<QSplitter *>()->sizes()), share(sizes), 0.03)
        << w.findChild<QSplitter *>()->sizes().value(0) << " of the height, was " << sizes.value(0);
}

TEST(GuiBackfill, AnUnreachableDatabaseIsCountedAndShownNotFatal)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    test::Dashboard dashboard(broker.url(), dir.path(),
                              {QStringLiteral("--influx-url"),
                               QStringLiteral("http://127.0.0.1:%1").arg(test::freePort()),
                               QStringLiteral("--spool-dir"),
                               dir.filePath(QStringLiteral("spool"))});
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_TRUE(dashboard.waitConnected());
    app::ChartBackfill &backfill = *dashboard.components->backfill;
    ASSERT_TRUE(waitUntil([&] { return backfill.fills() >= 1; }, 20000));
    EXPECT_GE(backfill.failures(), 1u);
    EXPECT_TRUE(
        dashboard.window->statusPanel()->currentMessage().contains(QStringLiteral("Chart history")))
        << dashboard.window->statusPanel()->currentMessage().toStdString();
}

TEST(GuiBackfill, NoInfluxDbNoQuery)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    test::Dashboard dashboard(broker.url(), dir.path());
    ASSERT_TRUE(dashboard.parsed);
    const app::ChartBackfill &backfill = *dashboard.components->backfill;
    EXPECT_FALSE(backfill.enabled());
    test::spin(300);
    EXPECT_EQ(backfill.fills(), 0);
    EXPECT_FALSE(backfill.isBusy());
}

TEST(GuiChartMarks, ACarbonIntensityChangeIsMarkedAndSpansNeedData)
{
    core::SeriesStore store;
    app::ChartsPanel charts(store);
    charts.resize(1400, 600);
    charts.show();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    auto snapshot = [&](double gPerKwh, qint64 fromMs) {
        auto s = std::make_shared<core::ProcessorSnapshot>();
        s->takenNs = nowMs * 1'000'000;
        core::ZoneSummary zone;
        zone.zone = QStringLiteral("DE");
        zone.gCo2ePerKwh = gPerKwh;
        zone.fromNs = fromMs * 1'000'000;
        s->zones.push_back(zone);
        // A job the ledger remembers from before a restart (no series), and one with points.
        core::JobSummary old;
        old.jobId = QStringLiteral("Old_1_aaaaaa");
        old.startNs = (nowMs - 300'000) * 1'000'000;
        old.endNs = (nowMs - 120'000) * 1'000'000;
        core::JobSummary live;
        live.jobId = QStringLiteral("Live_1_bbbbbb");
        live.running = true;
        live.startNs = (nowMs - 600'000) * 1'000'000;
        s->jobs = {old, live};
        return std::shared_ptr<const core::ProcessorSnapshot>(s);
    };
    for (int i = 60; i >= 0; --i) {
        store.append(core::serieskeys::key(Kind::Kwh, QStringLiteral("Live_1_bbbbbb")),
                     static_cast<double>(nowMs - i * 1000), 0.01 * (60 - i));
        store.append(core::serieskeys::key(Kind::Co2e, QStringLiteral("Live_1_bbbbbb")),
                     static_cast<double>(nowMs - i * 1000), 0.005 * (60 - i));
    }
    charts.setSnapshot(snapshot(312, nowMs - 3'600'000));
    charts.refresh();
    EXPECT_TRUE(charts.carbonChart()->markLabels().isEmpty()) << "the first value is no change";
    // Only the job with points has a span, from its first point (not its start 10 minutes ago).
    EXPECT_EQ(charts.powerChart()->bandKeys(), QStringList{QStringLiteral("Live_1_bbbbbb")});

    charts.setSnapshot(snapshot(450, nowMs - 30'000));
    charts.setSnapshot(snapshot(450, nowMs - 30'000)); // the same value again: no second mark
    charts.refresh();
    EXPECT_EQ(charts.carbonChart()->markLabels(),
              QStringList{QStringLiteral("DE: 312 → 450 g/kWh")});
    EXPECT_TRUE(charts.energyChart()->markLabels().isEmpty()); // the carbon chart's only

    // Bounded: the oldest marks go.
    for (int i = 0; i < 2 * app::FactorChanges::kMaxChanges; ++i) {
        charts.setSnapshot(snapshot(100 + i, nowMs - 20'000 + i * 100));
    }
    charts.refresh();
    EXPECT_EQ(charts.carbonChart()->markLabels().size(), app::FactorChanges::kMaxChanges);
}

TEST(GuiChartMarks, ColoursAreKeptAcrossARestart)
{
    core::SeriesStore store;
    QVariantMap saved;
    const auto nowMs = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    {
        app::ChartsPanel charts(store);
        charts.setMaxSeries(20);
        for (int i = 0; i < 20; ++i) {
            store.append(QStringLiteral("power/host-%1").arg(i), nowMs, i);
        }
        charts.refresh();
        saved = charts.colors();
    }
    // A name that had to move off the look its hash picks (taken by a name drawn before it).
    const QVariantMap hosts = saved.value(QStringLiteral("hosts")).toMap();
    ASSERT_EQ(hosts.size(), 20);
    QString moved;
    for (auto it = hosts.cbegin(); it != hosts.cend() && moved.isEmpty(); ++it) {
        const int hashed = static_cast<int>(app::ChartPalette::stableHash(it.key()) % 7);
        moved = it.value().toInt() != hashed ? it.key() : QString();
    }
    ASSERT_FALSE(moved.isEmpty());
    const QColor before = app::ChartPalette::slotStyle(hosts.value(moved).toInt()).color;

    // After a restart it comes first (alone): it keeps its look all the same.
    core::SeriesStore again;
    again.append(QStringLiteral("power/") + moved, nowMs, 1);
    app::ChartsPanel charts(again);
    charts.restoreColors(saved);
    charts.refresh();
    EXPECT_EQ(charts.powerChart()->lineColor(QStringLiteral("power/") + moved), before);
    EXPECT_EQ(charts.colors(), saved);
}
