// The window on a real X server, as an operator sees it: run by tests/scripts/run-in-xvfb.sh at
// 1600x1000 and at 1280x720 (ctest -R Screenshot; skipped on any other platform). Each scenario
// opens the dashboard on a real mosquitto, checks that it opens within the screen, maximizes it,
// grabs the screen (so the status bar and the banner are in the picture, or not), saves
// <build>/screenshots/<scenario>-<W>x<H>.png and checks what the picture shows.
#include "DashboardHarness.h"
#include "MosquittoBroker.h"
#include "PipelineStack.h"
#include "TestSupport.h"
#include "accounting/LedgerConfig.h"
#include "charts/ChartsPanel.h"
#include "pipeline/SeriesKeys.h"
#include "protocol/JobId.h"
#include "protocol/Protocol.h"
#include "widgets/FreshnessBanner.h"
#include "widgets/HeaderCards.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/MainWindow.h"
#include "widgets/StatusBar.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QLabel>
#include <QRandomGenerator>
#include <QScreen>
#include <QSet>
#include <QTableView>
#include <QTemporaryDir>
#include <QWindow>
#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <iterator>

using namespace greenpulse;
using core::serieskeys::Kind;
using test::waitUntil;

namespace {

constexpr int kHosts = 25;
constexpr int kHistoryS = 150; // seconds of history before the window goes live

// A job on hosts [first, first + hosts) from second startS of the history to endS (0: running).
struct FleetJob
{
    const char *name;
    int first;
    int hosts;
    int startS;
    int endS;
};
constexpr FleetJob kJobs[] = {
    {"Pretrain_70B", 0, 8, 10, 0},
    {"Finetune_Chat", 8, 4, 40, 0},
    {"Data_Preprocessing", 12, 2, 20, 90},
    {"RL_Tuning", 14, 4, 70, 0},
    {"Eval_Benchmark", 18, 1, 100, 140},
    {"Sweep_A", 19, 1, 120, 0},
    {"Sweep_B", 20, 1, 125, 0},
    {"Tokenize_Corpus", 21, 2, 30, 60},
};
constexpr int kJobCount = static_cast<int>(std::size(kJobs));
constexpr int kRows = kJobCount + 1;   // and the idle row
constexpr int kPretrainSilentHost = 6; // gpu-07, in Pretrain_70B

// 25 hosts and 8 jobs: their history, backdated, then live samples twice a second.
class Fleet
{
public:
    explicit Fleet(test::SamplePublisher &publisher)
        : m_publisher(publisher), m_t0Ms(QDateTime::currentMSecsSinceEpoch() - kHistoryS * 1000)
    {
        QRandomGenerator random(16);
        for (const FleetJob &job : kJobs) {
            m_ids << core::jobid::make(QString::fromLatin1(job.name), m_t0Ms / 1000 + job.startS,
                                       random);
        }
    }
    static QString host(int h) { return QStringLiteral("gpu-%1").arg(h + 1, 2, 10, QChar(u'0')); }
    const QStringList &ids() const { return m_ids; }

    // History: the host lines and the jobs' cumulative lines into `series` (the processor records
    // chart points only live; null in follow mode, where the window's charts start with it), then
    // the same samples and the jobs' starts and ends, backdated, to the processor.
    void history(core::SeriesStore *series)
    {
        if (series) {
            writeSeries(*series);
        }
        for (int s = 0; s < kHistoryS; ++s) {
            const qint64 ns = (m_t0Ms + s * 1000LL) * 1'000'000;
            for (int j = 0; j < kJobCount; ++j) {
                if (s == kJobs[j].startS || s == kJobs[j].endS) {
                    control(j, s == kJobs[j].startS ? core::JobStatus::Start : core::JobStatus::End,
                            ns);
                }
            }
            round(s, ns, {});
            if (s % 10 == 0) {
                test::spin(10);
            }
        }
    }

    // Live samples, every 500 ms for `ms`; hosts in `silent` send nothing.
    void live(int ms, const QSet<int> &silent = {})
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            const double s = (QDateTime::currentMSecsSinceEpoch() - m_t0Ms) / 1000.0;
            round(s, 0, silent);
            test::spin(500);
        }
    }

private:
    static bool busy(int h, double s)
    {
        for (const FleetJob &job : kJobs) {
            if (h >= job.first && h < job.first + job.hosts && s >= job.startS &&
                (job.endS == 0 || s < job.endS)) {
                return true;
            }
        }
        return false;
    }
    static double watts(int h, double s)
    {
        const double idle = 140 + 6 * h + 12 * std::sin(s * 0.9 + h);
        return busy(h, s) ? idle + 1900 + 35 * (h % 8) + 220 * std::sin(s / 11.0 + h) : idle;
    }
    static double flow(int h, double s)
    {
        return 8.5 + 0.08 * h + (busy(h, s) ? 3.5 : 0) + 0.5 * std::sin(s / 5 + h);
    }
    static double temp(int h, double s)
    {
        return 24 + 0.3 * h + (busy(h, s) ? 7 : 0) + 0.7 * std::sin(s / 9 + h);
    }

    void round(double s, qint64 ns, const QSet<int> &silent)
    {
        for (int h = 0; h < kHosts; ++h) {
            if (!silent.contains(h)) {
                m_publisher.power(host(h), watts(h, s), ns);
                m_publisher.flow(host(h), flow(h, s), temp(h, s), ns);
            }
        }
    }
    void control(int j, core::JobStatus status, qint64 ns)
    {
        for (int h = kJobs[j].first; h < kJobs[j].first + kJobs[j].hosts; ++h) {
            m_publisher.client->publish(
                core::topics::kControl,
                core::encode(test::controlAt(status, m_ids[j], host(h), ns)), 1);
        }
    }
    void writeSeries(core::SeriesStore &series) const
    {
        const double carbon = core::LedgerConfig{}.carbonKgPerKwh;
        QVector<double> kwh(kJobCount);
        QVector<double> liters(kJobCount);
        for (int s = 0; s < kHistoryS; ++s) {
            const double x = static_cast<double>(m_t0Ms + s * 1000LL);
            for (int h = 0; h < kHosts; ++h) {
                series.append(core::serieskeys::key(Kind::Power, host(h)), x, watts(h, s));
                series.append(core::serieskeys::key(Kind::Flow, host(h)), x, flow(h, s));
                series.append(core::serieskeys::key(Kind::Temp, host(h)), x, temp(h, s));
            }
            for (int j = 0; j < kJobCount; ++j) {
                const FleetJob &job = kJobs[j];
                if (s < job.startS) {
                    continue;
                }
                for (int h = job.first; h < job.first + job.hosts && (!job.endS || s < job.endS);
                     ++h) {
                    kwh[j] += watts(h, s) / 3.6e6;
                    liters[j] += flow(h, s) / 60.0;
                }
                series.append(core::serieskeys::key(Kind::Kwh, m_ids[j]), x, kwh[j]);
                series.append(core::serieskeys::key(Kind::Co2e, m_ids[j]), x, kwh[j] * carbon);
                series.append(core::serieskeys::key(Kind::Liters, m_ids[j]), x, liters[j]);
            }
        }
    }

    test::SamplePublisher &m_publisher;
    qint64 m_t0Ms;
    QStringList m_ids;
};

// The share of `widget`'s own pixels that the screen shows where it is (1: all of it, as painted).
double shownShare(const QImage &screen, QWidget *widget)
{
    const QImage own = widget->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QPoint at = widget->mapToGlobal(QPoint(0, 0));
    qint64 same = 0;
    for (int y = 0; y < own.height(); ++y) {
        for (int x = 0; x < own.width(); ++x) {
            const QPoint p = at + QPoint(x, y);
            same += screen.rect().contains(p) && screen.pixel(p) == own.pixel(x, y) ? 1 : 0;
        }
    }
    return own.isNull() ? 0.0 : static_cast<double>(same) / (own.width() * own.height());
}

// Rows of the jobs table wholly inside its viewport.
int visibleRows(QTableView *view)
{
    int rows = 0;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        rows += view->viewport()->rect().contains(view->visualRect(view->model()->index(row, 0)))
                    ? 1
                    : 0;
    }
    return rows;
}

class XvfbScreenshot : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (QGuiApplication::platformName() != QLatin1String("xcb")) {
            GTEST_SKIP() << "needs a real X server: ctest -R Screenshot runs it in Xvfb";
        }
        screen = QGuiApplication::primaryScreen();
        ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
        publisher = std::make_unique<test::SamplePublisher>(broker.url());
        ASSERT_TRUE(publisher->waitConnected());
        fleet = std::make_unique<Fleet>(*publisher);
    }
    void TearDown() override { dashboard.reset(); }

    // The dashboard as an operator starts it (after the fleet's history in follow mode).
    void open(const QStringList &args)
    {
        dashboard = std::make_unique<test::Dashboard>(broker.url(), dir.path(), args);
        ASSERT_TRUE(dashboard->parsed);
        ASSERT_TRUE(dashboard->waitConnected());
        app::MainWindow &w = *dashboard->window;
        ASSERT_TRUE(
            waitUntil([&] { return w.isVisible() && w.windowHandle()->isExposed(); }, 5000));
        // It opens within the screen (issue 16, point 7), then is maximized as an operator does.
        EXPECT_TRUE(screen->availableGeometry().contains(w.frameGeometry()))
            << "opened at " << w.frameGeometry().width() << "x" << w.frameGeometry().height() << "+"
            << w.frameGeometry().x() << "+" << w.frameGeometry().y();
        w.showMaximized();
        test::spin(300);
        if (w.geometry() != screen->availableGeometry()) {
            w.setGeometry(screen->availableGeometry()); // Xvfb has no window manager to do it
        }
        w.charts()->setWindowSeconds(5 * 60);
    }
    app::MainWindow &window() { return *dashboard->window; }
    QString powerDetail() { return window().cards()->power()->detail(); }
    bool allJobsShown()
    {
        for (const QString &id : fleet->ids()) {
            if (!dashboard->job(id)) {
                return false;
            }
        }
        return true;
    }

    // The screen, saved as <build>/screenshots/<scenario>-<W>x<H>.png; the window fills it, its
    // status bar and header are on it as painted, and the table shows its rows. Called after a
    // second or more of events since the last change (a snapshot and a chart redraw).
    QImage shoot(const QString &scenario)
    {
        const QImage shot = screen->grabWindow(0).toImage().convertToFormat(QImage::Format_RGB32);
        app::MainWindow &w = window();
        EXPECT_EQ(shot.size(), screen->geometry().size());
        EXPECT_TRUE(screen->geometry().contains(w.frameGeometry()));
        EXPECT_GE(shownShare(shot, w.statusPanel()), 0.9) << "the status bar is not on the screen";
        EXPECT_GE(shownShare(shot, w.cards()), 0.9) << "the header is not on the screen";
        QTableView *table = w.jobsPanel()->view();
        EXPECT_EQ(table->model()->rowCount(), kRows);
        EXPECT_GE(shownShare(shot, table), 0.9) << "the jobs table is not on the screen";
        EXPECT_GE(visibleRows(table), 1) << "no whole row of the jobs table is shown";
        if (shot.height() <= 720) { // issue 16, point 7: at least 8 rows at 720p
            EXPECT_GE(visibleRows(table), std::min(kRows, 8))
                << "jobs table rows shown at " << shot.width() << "x" << shot.height();
        }
        const QString folder = QStringLiteral(GREENPULSE_BUILD_DIR "/screenshots");
        EXPECT_TRUE(QDir().mkpath(folder));
        const QString path =
            folder +
            QStringLiteral("/%1-%2x%3.png").arg(scenario).arg(shot.width()).arg(shot.height());
        EXPECT_TRUE(shot.save(path)) << qPrintable(path);
        return shot;
    }

    QScreen *screen = nullptr;
    QTemporaryDir dir;
    test::MosquittoBroker broker;
    std::unique_ptr<test::SamplePublisher> publisher;
    std::unique_ptr<Fleet> fleet;
    std::unique_ptr<test::Dashboard> dashboard;
};

} // namespace

// 25 hosts, 8 jobs on one to eight hosts each (5 running), 2.5 minutes of history, live.
TEST_F(XvfbScreenshot, TwentyFiveHosts)
{
    ASSERT_NO_FATAL_FAILURE(open({}));
    fleet->history(&dashboard->components->series);
    fleet->live(2000);
    ASSERT_TRUE(waitUntil([&] { return allJobsShown(); }, 10000));
    ASSERT_TRUE(
        waitUntil([&] { return powerDetail() == QStringLiteral("25 hosts reporting"); }, 5000))
        << qPrintable(powerDetail());
    fleet->live(1000);
    const auto running = std::count_if(std::begin(kJobs), std::end(kJobs),
                                       [](const FleetJob &job) { return job.endS == 0; });
    EXPECT_EQ(window().jobsPanel()->model().runningJobs().size(), running);
    shoot(QStringLiteral("hosts25"));
}

// One host agent stops publishing past --stale-after-s: counted, greyed, its job flagged.
TEST_F(XvfbScreenshot, ADeadHost)
{
    ASSERT_NO_FATAL_FAILURE(open({QStringLiteral("--stale-after-s"), QStringLiteral("3")}));
    fleet->history(&dashboard->components->series);
    fleet->live(1500);
    ASSERT_TRUE(waitUntil([&] { return allJobsShown(); }, 10000));
    const QString dead = Fleet::host(kPretrainSilentHost);
    QElapsedTimer silent;
    silent.start();
    while (!powerDetail().startsWith(QStringLiteral("24 of 25 reporting, %1 silent").arg(dead)) &&
           silent.elapsed() < 8000) {
        fleet->live(500, {kPretrainSilentHost});
    }
    ASSERT_TRUE(powerDetail().startsWith(QStringLiteral("24 of 25 reporting, %1 silent").arg(dead)))
        << qPrintable(powerDetail());
    app::JobsTableModel &model = window().jobsPanel()->model();
    const QString pretrain = fleet->ids().constFirst();
    EXPECT_EQ(
        model.index(model.rowOf(pretrain), app::JobsTableModel::StatusColumn).data().toString(),
        QStringLiteral("running, 1 silent"));
    // Selected, its row is scrolled to and its hosts' lines stand out.
    window().jobsPanel()->selectJob(pretrain);
    fleet->live(1200, {kPretrainSilentHost});
    shoot(QStringLiteral("dead-host"));
    QTableView *table = window().jobsPanel()->view();
    const QModelIndexList shown = table->model()->match(
        table->model()->index(0, 0), Qt::DisplayRole, pretrain, 1, Qt::MatchExactly);
    ASSERT_EQ(shown.size(), 1);
    EXPECT_TRUE(table->viewport()->rect().contains(table->visualRect(shown.constFirst())))
        << "the flagged job's row is not shown";
    EXPECT_TRUE(window().banner()->text().isEmpty()) << "the broker is fine";
}

// The broker goes away: the banner says since when the values are frozen; the power is greyed.
TEST_F(XvfbScreenshot, ABrokerOutage)
{
    ASSERT_NO_FATAL_FAILURE(open({}));
    fleet->history(&dashboard->components->series);
    fleet->live(2500);
    ASSERT_TRUE(waitUntil([&] { return allJobsShown(); }, 10000));
    broker.stop();
    app::MainWindow &w = window();
    ASSERT_TRUE(waitUntil(
        [&] { return w.banner()->text().contains(QStringLiteral("values frozen since")); }, 10000))
        << qPrintable(w.banner()->text());
    test::spin(4000); // the outage's band grows on the charts
    const QImage shot = shoot(QStringLiteral("broker-outage"));
    EXPECT_GE(shownShare(shot, w.banner()), 0.9) << "the banner is not on the screen";
    EXPECT_FALSE(w.cards()->power()->isLive());
    EXPECT_TRUE(powerDetail().startsWith(QStringLiteral("frozen since")))
        << qPrintable(powerDetail());
}

// A window following a site's greenpulse-processor, started after the fleet's jobs began.
TEST_F(XvfbScreenshot, AFollowModeWindow)
{
    const QString name = QStringLiteral("site-a");
    test::Child processor;
    ASSERT_TRUE(test::startProcessor(
        processor,
        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--client-id"),
         QStringLiteral("xvfb-site-processor"), QStringLiteral("--processor-name"), name,
         QStringLiteral("--ledger-interval-s"), QStringLiteral("0.5"), QStringLiteral("--config"),
         QStringLiteral("/dev/null"), QStringLiteral("--state-file"), QStringLiteral("none")}))
        << processor.readStderr().constData();
    fleet->history(nullptr);
    fleet->live(1000);
    ASSERT_NO_FATAL_FAILURE(open({QStringLiteral("--follow"), name}));
    fleet->live(4000);
    ASSERT_TRUE(waitUntil([&] { return allJobsShown(); }, 10000));
    auto *source = window().findChild<QLabel *>(QStringLiteral("ledgerSource"));
    ASSERT_NE(source, nullptr);
    EXPECT_TRUE(source->text().startsWith(QStringLiteral("Following processor site-a")))
        << qPrintable(source->text());
    EXPECT_TRUE(window().windowTitle().contains(QStringLiteral("following processor site-a")));
    EXPECT_GT(dashboard->job(fleet->ids().constFirst())->kwh, 0.0);
    const QImage shot = shoot(QStringLiteral("follow-mode"));
    EXPECT_GE(shownShare(shot, source), 0.9) << "whose ledger it shows is not on the screen";
}
