// The window's controls (issue 16, points 7, 8 and 10), offscreen against a real mosquitto: Stop
// asks with the job's name and hosts; a start clears the name field so Ctrl+Return does not
// start a duplicate; Run demo without a broker says so instead of claiming a job runs; Escape
// clears the filter and the count says how many are shown; Export CSV confirms with the path;
// the View menu's names; the v2 fields greyed while the API is v1; Help opens the docs; idle is
// "idle" everywhere.
#include "DashboardHarness.h"
#include "TestSupport.h"
#include "options/OptionNames.h"
#include "runtime/DemoRunner.h"
#include "runtime/DocLinks.h"
#include "runtime/JobController.h"
#include "runtime/JobNames.h"
#include "widgets/ControlsPanel.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/MainWindow.h"
#include "widgets/SettingsDialog.h"
#include "widgets/StatusBar.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTest>
#include <gtest/gtest.h>

using namespace greenpulse;
using test::GuiTest;
using test::MosquittoSubscriber;
using test::waitUntil;

namespace {

QList<core::ControlMessage> endsOf(const QList<core::ControlMessage> &messages)
{
    QList<core::ControlMessage> out;
    for (const core::ControlMessage &m : messages) {
        if (m.status == core::JobStatus::End) {
            out << m;
        }
    }
    return out;
}

QMessageBox *stopBox(app::MainWindow &w)
{
    QMessageBox *box = nullptr;
    waitUntil(
        [&] { return (box = w.findChild<QMessageBox *>(QStringLiteral("stopConfirmation"))); },
        3000);
    return box;
}

} // namespace

TEST_F(GuiTest, StopAsksWithTheJobsNameAndHostsAndOnlyAYesStopsIt)
{
    MosquittoSubscriber subscriber;
    ASSERT_TRUE(subscriber.start(broker.url(), QStringLiteral("greenpulse/control")));
    test::SamplePublisher samples(broker.url());
    ASSERT_TRUE(samples.waitConnected());
    samples.power(QStringLiteral("gpu-07"), 300);
    app::MainWindow &w = *dashboard->window;
    QComboBox *hosts = w.controls()->hostBox();
    ASSERT_TRUE(waitUntil([&] { return hosts->findData(QStringLiteral("gpu-07")) >= 0; }, 5000));
    hosts->setCurrentIndex(hosts->findData(QStringLiteral("gpu-07")));
    w.controls()->nameEdit()->setText(QStringLiteral("Llama_Finetune"));
    const QString id = w.startJob();
    ASSERT_TRUE(waitUntil([&] { return dashboard->job(id) && dashboard->job(id)->running; }, 5000));
    ASSERT_TRUE(waitUntil([&] { return w.controls()->stopButton()->isEnabled(); }, 3000));

    // Ctrl+. asks; Cancel (the default button) keeps the job.
    QTest::keyClick(&w, Qt::Key_Period, Qt::ControlModifier);
    QMessageBox *box = stopBox(w);
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->text(), QStringLiteral("Stop Llama_Finetune?"));
    EXPECT_TRUE(box->informativeText().contains(id)) << qPrintable(box->informativeText());
    EXPECT_TRUE(box->informativeText().contains(QStringLiteral("Hosts: gpu-07")))
        << qPrintable(box->informativeText());
    EXPECT_EQ(box->defaultButton(), box->button(QMessageBox::Cancel));
    box->button(QMessageBox::Cancel)->click();
    test::spin(500);
    EXPECT_TRUE(endsOf(controls(subscriber)).isEmpty()) << "cancelled: nothing published";
    EXPECT_TRUE(dashboard->job(id)->running);

    // Asked again and confirmed: the end goes out.
    EXPECT_EQ(w.stopJob(), id);
    box = stopBox(w);
    ASSERT_NE(box, nullptr);
    box->findChild<QPushButton *>(QStringLiteral("confirmStop"))->click();
    ASSERT_TRUE(waitUntil([&] { return endsOf(controls(subscriber)).size() == 1; }, 5000));
    EXPECT_EQ(endsOf(controls(subscriber)).first().jobId, id);
}

TEST_F(GuiTest, AStartClearsTheNameSoCtrlReturnDoesNotStartADuplicate)
{
    MosquittoSubscriber subscriber;
    ASSERT_TRUE(subscriber.start(broker.url(), QStringLiteral("greenpulse/control")));
    app::MainWindow &w = *dashboard->window;
    QLineEdit *name = w.controls()->nameEdit();
    name->setText(QStringLiteral("Once_Only"));
    QTest::keyClick(&w, Qt::Key_Return, Qt::ControlModifier);
    ASSERT_TRUE(waitUntil([&] { return controls(subscriber).size() == 1; }, 5000));
    EXPECT_TRUE(name->text().isEmpty());
    EXPECT_TRUE(name->placeholderText().startsWith(QStringLiteral("Started Once_Only_")))
        << qPrintable(name->placeholderText());

    QTest::keyClick(&w, Qt::Key_Return, Qt::ControlModifier); // again, by habit
    test::spin(500);
    EXPECT_EQ(controls(subscriber).size(), 1) << "no duplicate start";
    EXPECT_EQ(w.statusPanel()->currentMessage(),
              QStringLiteral("Type a name to start another job"));

    QTest::keyClicks(name, QStringLiteral("Second")); // a name typed: it starts again
    QTest::keyClick(&w, Qt::Key_Return, Qt::ControlModifier);
    ASSERT_TRUE(waitUntil([&] { return controls(subscriber).size() == 2; }, 5000));
    EXPECT_TRUE(controls(subscriber).at(1).jobId.startsWith(QStringLiteral("Second_")));
}

TEST(GuiDemo, WithoutABrokerRunDemoDoesNotClaimAJobRuns)
{
    QTemporaryDir dir;
    // Nothing listens there.
    test::Dashboard d(QStringLiteral("tcp://127.0.0.1:%1").arg(test::freePort()), dir.path());
    ASSERT_TRUE(d.parsed);
    app::MainWindow &w = *d.window;
    app::DemoRunner &demo = d.components->jobs->demo();
    QTest::mouseClick(w.controls()->demoButton(), Qt::LeftButton);
    EXPECT_FALSE(demo.isRunning());
    EXPECT_EQ(w.controls()->demoButton()->text(), QStringLiteral("Run demo"));
    EXPECT_TRUE(w.controls()->demoProgress().startsWith(
        QStringLiteral("Demo not started: not connected to the broker")))
        << qPrintable(w.controls()->demoProgress());
    EXPECT_FALSE(w.controls()->demoProgress().contains(QStringLiteral("running")));
}

TEST_F(GuiTest, EscapeClearsTheFilterAndTheCountSaysHowManyAreShown)
{
    app::MainWindow &w = *dashboard->window;
    for (const char *name : {"Alpha", "Beta", "Alpha_2"}) {
        w.controls()->nameEdit()->setText(QLatin1String(name));
        ASSERT_FALSE(w.startJob().isEmpty());
    }
    app::JobsPanel &panel = *w.jobsPanel();
    ASSERT_TRUE(waitUntil([&] { return panel.model().runningJobs().size() == 3; }, 5000));
    EXPECT_EQ(panel.countText(), QStringLiteral("3 running · 3 total"));

    QLineEdit *filter = panel.filterEdit();
    filter->setFocus();
    QTest::keyClicks(filter, QStringLiteral("alpha"));
    EXPECT_EQ(panel.proxy()->rowCount(), 2);
    EXPECT_EQ(panel.countText(), QStringLiteral("2 of 3 shown · 3 running"));
    QTest::keyClick(filter, Qt::Key_Escape);
    EXPECT_TRUE(filter->text().isEmpty());
    EXPECT_EQ(panel.countText(), QStringLiteral("3 running · 3 total"));
}

TEST_F(GuiTest, IdleHasOneNameAndExportConfirmsWithThePath)
{
    test::SamplePublisher samples(dashboard->options.value(core::opt::kBroker));
    ASSERT_TRUE(samples.waitConnected());
    samples.power(QStringLiteral("h1"), 100, test::nowNs() - 2'000'000'000);
    samples.power(QStringLiteral("h1"), 100);
    app::MainWindow &w = *dashboard->window;
    app::JobsTableModel &model = w.jobsPanel()->model();
    ASSERT_TRUE(waitUntil([&] { return model.rowOf(app::idleJobName()) >= 0; }, 5000));
    const int idle = model.rowOf(app::idleJobName());
    EXPECT_EQ(model.index(idle, app::JobsTableModel::JobColumn).data().toString(),
              QStringLiteral("idle"));
    EXPECT_EQ(model.index(idle, app::JobsTableModel::StatusColumn).data().toString(),
              QStringLiteral("idle"));
    EXPECT_TRUE(
        waitUntil([&] { return model.toCsv().contains(QStringLiteral("\nidle,h1,idle,")); }, 5000))
        << qPrintable(model.toCsv());

    const QString path = dir.filePath(QStringLiteral("jobs.csv"));
    QString error;
    ASSERT_TRUE(w.jobsPanel()->exportCsvTo(path, &error)) << qPrintable(error);
    EXPECT_TRUE(w.statusPanel()->currentMessage().contains(path))
        << qPrintable(w.statusPanel()->currentMessage());
    EXPECT_EQ(w.statusPanel()->currentMessage(), QStringLiteral("Exported 0 jobs to ") + path);
}

TEST_F(GuiTest, MenusNameTheWindowsPlainlyAndHelpLinksTheDocs)
{
    app::MainWindow &w = *dashboard->window;
    QStringList view;
    QList<QAction *> docs;
    for (QAction *menu : w.menuBar()->actions()) {
        for (QAction *action : menu->menu()->actions()) {
            if (menu->text() == QStringLiteral("&View")) {
                view << action->text();
            } else if (menu->text() == QStringLiteral("&Help") && action->data().isValid()) {
                docs << action;
            }
        }
    }
    EXPECT_TRUE(view.contains(QStringLiteral("Last hour"))) << qPrintable(view.join(u'|'));
    EXPECT_TRUE(view.contains(QStringLiteral("Last 6 hours"))) << qPrintable(view.join(u'|'));
    EXPECT_FALSE(view.join(u'|').contains(QStringLiteral("(s)")));
    ASSERT_GE(docs.size(), 2);
    for (QAction *doc : docs) {
        const QString file = doc->data().toString();
        EXPECT_FALSE(app::doclinks::find(file).isEmpty()) << qPrintable(file); // source tree
    }
}

TEST_F(GuiTest, TheV2FieldsAreGreyedWhileTheApiIsV1)
{
    app::SettingsDialog *dialog = dashboard->window->openSettings();
    ASSERT_NE(dialog, nullptr);
    auto *api = qobject_cast<QComboBox *>(dialog->field(core::opt::kInfluxApi));
    ASSERT_NE(api, nullptr);
    ASSERT_EQ(api->currentData().toString(), QStringLiteral("v1"));
    for (QLatin1String v2 :
         {core::opt::kInfluxOrg, core::opt::kInfluxBucket, core::opt::kInfluxToken}) {
        EXPECT_FALSE(dialog->field(v2)->isEnabled()) << v2.data();
    }
    EXPECT_TRUE(dialog->field(core::opt::kInfluxDb)->isEnabled());
    api->setCurrentIndex(api->findData(QStringLiteral("v2")));
    for (QLatin1String v2 :
         {core::opt::kInfluxOrg, core::opt::kInfluxBucket, core::opt::kInfluxToken}) {
        EXPECT_TRUE(dialog->field(v2)->isEnabled()) << v2.data();
    }
    EXPECT_FALSE(dialog->field(core::opt::kInfluxDb)->isEnabled());
    EXPECT_FALSE(dialog->field(core::opt::kInfluxUser)->isEnabled());
    dialog->reject();
}
