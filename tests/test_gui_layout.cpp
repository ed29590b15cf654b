// The window on a small screen (issue 16, point 7), offscreen against a real mosquitto: it opens
// within the screen; at 1280x720, maximized, the jobs table shows at least 8 whole rows (the
// charts one at a time until a view is chosen, remembered with the collapsed state); a long
// message leaves the MQTT and InfluxDB indicators in view; an error shows in the banner above the
// cards; Run demo with the broker stopped starts no job and says why.
#include "DashboardHarness.h"
#include "TestSupport.h"
#include "charts/ChartsPanel.h"
#include "charts/TimeChart.h"
#include "runtime/DemoRunner.h"
#include "runtime/JobController.h"
#include "widgets/ControlsPanel.h"
#include "widgets/FreshnessBanner.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/MainWindow.h"
#include "widgets/StatusBar.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabBar>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <gtest/gtest.h>

using namespace greenpulse;
using test::GuiTest;
using test::waitUntil;

namespace {

// What a maximized window has on a 1280x720 screen: 720 less a 32-pixel panel and a 32-pixel
// title bar (GNOME and KDE use about that; Xfce less).
const QSize k720pMaximized(1280, 720 - 32 - 32);

// Rows of the jobs table whose whole rectangle lies in the viewport.
int wholeRowsInView(const app::JobsPanel &panel)
{
    const QTableView *view = panel.view();
    const QRect viewport = view->viewport()->rect();
    int rows = 0;
    for (int row = 0; row < panel.proxy()->rowCount(); ++row) {
        const QRect rect = view->visualRect(panel.proxy()->index(row, 0));
        rows += rect.isValid() && viewport.contains(rect) ? 1 : 0;
    }
    return rows;
}

// `widget`'s rectangle in `window`'s coordinates.
QRect rectIn(const QWidget &widget, const QWidget &window)
{
    return QRect(widget.mapTo(&window, QPoint(0, 0)), widget.size());
}

void startJobs(app::MainWindow &w, int count)
{
    for (int i = 1; i <= count; ++i) {
        w.controls()->nameEdit()->setText(QStringLiteral("Job_%1").arg(i));
        ASSERT_FALSE(w.startJob().isEmpty());
    }
    ASSERT_TRUE(
        waitUntil([&] { return w.jobsPanel()->model().runningJobs().size() == count; }, 10000));
}

} // namespace

TEST_F(GuiTest, At1280x720MaximizedTheJobsTableShowsEightWholeRows)
{
    app::MainWindow &w = *dashboard->window;
    EXPECT_LE(w.minimumHeight(), k720pMaximized.height()) << "the window fits the screen";
    EXPECT_LE(w.minimumWidth(), 1024);
    startJobs(w, 10);
    w.resize(k720pMaximized);
    test::spin(300);
    ASSERT_EQ(w.size(), k720pMaximized);
    EXPECT_GE(wholeRowsInView(*w.jobsPanel()), app::MainWindow::kMinTableRows)
        << "table " << w.jobsPanel()->view()->viewport()->height() << " px high";
    // No view chosen: one chart, as large as the rest allows; the status bar in the window.
    EXPECT_EQ(w.charts()->view(), QStringLiteral("power"));
    EXPECT_TRUE(w.charts()->powerChart()->isVisibleTo(&w));
    EXPECT_FALSE(w.charts()->energyChart()->isVisibleTo(&w));
    EXPECT_GE(w.charts()->powerChart()->height(), w.charts()->powerChart()->minimumHeight());
    EXPECT_TRUE(w.rect().contains(rectIn(*w.statusPanel(), w)));

    // A tall window has room for every chart and the rows; back at 720p, one chart again.
    w.resize(1600, 1000);
    test::spin(300);
    EXPECT_EQ(w.charts()->view(), QStringLiteral("all"));
    EXPECT_TRUE(w.charts()->energyChart()->isVisibleTo(&w));
    EXPECT_GE(wholeRowsInView(*w.jobsPanel()), app::MainWindow::kMinTableRows);
    w.resize(k720pMaximized);
    test::spin(300);
    EXPECT_EQ(w.charts()->view(), QStringLiteral("power"));
    EXPECT_GE(wholeRowsInView(*w.jobsPanel()), app::MainWindow::kMinTableRows);
}

TEST_F(GuiTest, AChosenChartViewAndTheCollapsedChartsAreRemembered)
{
    app::MainWindow &w = *dashboard->window;
    startJobs(w, 10);
    w.resize(k720pMaximized);
    test::spin(300);
    QTabBar *tabs = w.charts()->viewTabs();
    const int energy = app::ChartsPanel::viewNames().indexOf(QStringLiteral("energy"));
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(energy).center());
    EXPECT_EQ(w.charts()->view(), QStringLiteral("energy"));
    EXPECT_TRUE(w.charts()->energyChart()->isVisibleTo(&w));
    EXPECT_FALSE(w.charts()->powerChart()->isVisibleTo(&w));
    w.resize(1600, 1000);
    test::spin(300);
    EXPECT_EQ(w.charts()->view(), QStringLiteral("energy")) << "a choice stays";

    // Collapsed: the title row only; the table has the rest.
    w.resize(k720pMaximized);
    QTest::mouseClick(w.charts()->collapseButton(), Qt::LeftButton);
    test::spin(300);
    EXPECT_TRUE(w.charts()->isCollapsed());
    EXPECT_FALSE(w.charts()->energyChart()->isVisibleTo(&w));
    EXPECT_LT(w.charts()->height(), 60);
    EXPECT_GE(wholeRowsInView(*w.jobsPanel()), 10);

    // The next window opens as this one was left.
    dashboard.reset();
    test::Dashboard again(broker.url(), dir.path());
    ASSERT_TRUE(again.parsed);
    EXPECT_EQ(again.window->charts()->view(), QStringLiteral("energy"));
    EXPECT_TRUE(again.window->charts()->isCollapsed());
    QTest::mouseClick(again.window->charts()->collapseButton(), Qt::LeftButton);
    EXPECT_FALSE(again.window->charts()->isCollapsed());
    EXPECT_TRUE(again.window->charts()->energyChart()->isVisibleTo(again.window.get()));
}

TEST_F(GuiTest, ALongMessageLeavesTheMqttAndInfluxIndicatorsInView)
{
    app::MainWindow &w = *dashboard->window;
    w.resize(k720pMaximized);
    app::StatusBar &bar = *w.statusPanel();
    ASSERT_TRUE(
        waitUntil([&] { return bar.mqttText().contains(QStringLiteral("connected")); }, 5000));
    const QString text = QStringLiteral("Exported 12 jobs to ") + QString(300, QLatin1Char('x'));
    bar.showMessage(text, 10000);
    test::spin(200);
    EXPECT_EQ(bar.currentMessage(), text);
    EXPECT_TRUE(bar.messageField()->text().endsWith(QChar(0x2026))) << "elided";
    EXPECT_TRUE(bar.messageField()->isVisible());
    for (const QLabel *field : {bar.mqttField(), bar.influxField()}) {
        EXPECT_TRUE(field->isVisible());
        EXPECT_TRUE(bar.rect().contains(rectIn(*field, bar))) << qPrintable(field->text());
        EXPECT_GE(field->width(), field->minimumWidth());
        EXPECT_FALSE(rectIn(*field, bar).intersects(rectIn(*bar.messageField(), bar)));
    }
    // A message through a plain QStatusBar (a status tip) covers no indicator either.
    static_cast<QStatusBar &>(bar).showMessage(text);
    test::spin(100);
    EXPECT_TRUE(bar.mqttField()->isVisible());
    EXPECT_TRUE(bar.influxField()->isVisible());
}

TEST(GuiErrors, AnErrorShowsInTheBannerAboveTheCardsUntilDismissed)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    // The state file's folder cannot be made (a file is in the way): the processor cannot start.
    QFile blocker(dir.filePath(QStringLiteral("blocker")));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    test::Dashboard d(
        broker.url(), dir.path(),
        {QStringLiteral("--state-file"), blocker.fileName() + QStringLiteral("/state/state.json")});
    ASSERT_TRUE(d.parsed);
    app::MainWindow &w = *d.window;
    w.resize(k720pMaximized);
    app::FreshnessBanner &banner = *w.banner();
    ASSERT_TRUE(
        waitUntil([&] { return banner.text().contains(QStringLiteral("Processor: ")); }, 5000))
        << qPrintable(banner.text());
    test::spin(100);
    EXPECT_TRUE(banner.isVisibleTo(&w));
    EXPECT_TRUE(w.rect().contains(rectIn(banner, w)));
    EXPECT_LT(rectIn(banner, w).top(), rectIn(*w.jobsPanel(), w).top()) << "above the table";
    ASSERT_TRUE(banner.dismissButton()->isVisibleTo(&w));
    QTest::mouseClick(banner.dismissButton(), Qt::LeftButton);
    EXPECT_FALSE(banner.text().contains(QStringLiteral("Processor: ")));
}

TEST_F(GuiTest, RunDemoWithTheBrokerStoppedStartsNoJobAndSaysWhy)
{
    app::MainWindow &w = *dashboard->window;
    broker.stop();
    ASSERT_TRUE(waitUntil(
        [&] { return dashboard->components->jobs->state() != core::ConnectionState::Connected; },
        10000));
    QTest::mouseClick(w.controls()->demoButton(), Qt::LeftButton);
    app::DemoRunner &demo = dashboard->components->jobs->demo();
    EXPECT_FALSE(demo.isRunning());
    EXPECT_EQ(w.controls()->demoButton()->text(), QStringLiteral("Run demo"));
    EXPECT_TRUE(w.controls()->demoProgress().startsWith(QStringLiteral("Demo not started: ")))
        << qPrintable(w.controls()->demoProgress());
    test::spin(1000);
    EXPECT_TRUE(w.jobsPanel()->model().runningJobs().isEmpty())
        << qPrintable(w.jobsPanel()->model().runningJobs().join(u','));
    // Where the operator looks: the banner says the broker is away.
    ASSERT_TRUE(waitUntil(
        [&] { return w.banner()->text().contains(QStringLiteral("Not connected to the broker")); },
        10000))
        << qPrintable(w.banner()->text());
}
