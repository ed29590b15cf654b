// The dashboard's Slurm launcher against a real one-node Slurm (tests/support/SlurmCluster) whose
// Prolog/Epilog run greenpulse-job, and a real mosquitto: jobs submitted from the window's form
// appear in its jobs table and in greenpulse-processor's summary with Slurm's id, user and exit
// state; Stop runs scancel; a job that never ran (held) is shown pending, then cancelled. Skips,
// saying why, where Slurm cannot run (as test_slurm does).
#include "DashboardHarness.h"
#include "MosquittoBroker.h"
#include "SlurmCluster.h"
#include "TestSupport.h"
#include "accounting/LedgerTypes.h"
#include "runtime/launchers/LaunchControl.h"
#include "widgets/ControlsPanel.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/LauncherPanel.h"
#include "widgets/MainWindow.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <gtest/gtest.h>

using namespace greenpulse;
using namespace greenpulse::test;

namespace {

QString statusText(Dashboard &d, const QString &jobId)
{
    app::JobsTableModel &model = d.window->jobsPanel()->model();
    const int row = model.rowOf(jobId);
    return row < 0 ? QString()
                   : model.index(row, app::JobsTableModel::StatusColumn).data().toString();
}



// Submits the form as it is now; the Slurm job's GreenPulse id once sbatch and squeue answered.
QString submit(Dashboard &d, const QString &name)
{
    app::LaunchControl &launch = *d.components->launch;
    const QString before = launch.lastStarted();
    d.window->controls()->nameEdit()->setText(name);
    QTest::mouseClick(d.window->controls()->startButton(), Qt::LeftButton);
    // The cluster's name comes from squeue: slurm-<id> first, then slurm-gptest-<id>.
    waitUntil(
        [&] {
            return launch.lastStarted().startsWith(QStringLiteral("slurm-gptest-")) &&
                   launch.lastStarted() != before;
        },
        30000);
    return launch.lastStarted() != before ? launch.lastStarted() : QString();
}

} // namespace

TEST(GuiSlurmLauncher, SubmittedFromTheFormTheJobShowsWithSlurmsIdUserAndExitState)
{
    const QString why = SlurmCluster::unavailableReason();
    if (!why.isEmpty()) {
        GTEST_SKIP() << "no real Slurm here: " << why.toStdString();
    }
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    QTemporaryDir dir;
    const QString node = QStringLiteral("gpnode1");
    Child processor;
    ASSERT_TRUE(
        processor.start(binary(QStringLiteral("greenpulse-processor")),
                        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--state-file"),
                         dir.filePath(QStringLiteral("ledger.json")), QStringLiteral("--config"),
                         QStringLiteral("/dev/null")}));
    ASSERT_TRUE(waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, 15000))
        << processor.readStderr().toStdString();
    Child agent; // the node's power
    ASSERT_TRUE(agent.start(binary(QStringLiteral("greenpulse-host-agent")),
                            {QStringLiteral("--broker"), broker.url(), QStringLiteral("--host"),
                             node, QStringLiteral("--interval-ms"), QStringLiteral("200"),
                             QStringLiteral("--config"), QStringLiteral("/dev/null")}));
    SlurmCluster slurm;
    SlurmCluster::Config config;
    config.nodeName = node;
    config.prolog =
        SlurmCluster::writeHook(dir.path(), QStringLiteral("slurm-prolog"), broker.url());
    config.epilog =
        SlurmCluster::writeHook(dir.path(), QStringLiteral("slurm-epilog"), broker.url());
    config.gpus = 2;
    ASSERT_TRUE(slurm.start(config)) << slurm.lastError().toStdString();
    // The dashboard's sbatch, squeue and scancel talk to this cluster.
    for (const QString &pair : slurm.clientEnv()) {
        qputenv(pair.section(QLatin1Char('='), 0, 0).toUtf8(),
                pair.section(QLatin1Char('='), 1).toUtf8());
    }

    Dashboard d(broker.url(), dir.path(), {QStringLiteral("--launcher"), QStringLiteral("slurm")});
    ASSERT_TRUE(d.parsed);
    ASSERT_TRUE(d.waitConnected());
    app::LauncherPanel &form = *d.window->launcherPanel();
    app::LaunchControl &launch = *d.components->launch;
    form.partitionEdit()->setText(QStringLiteral("debug"));
    EXPECT_EQ(form.titleLabel()->text(), QStringLiteral("Launcher: Slurm (partition debug)"));
    form.gpusBox()->setValue(1);
    form.sbatchArgsEdit()->setText(QStringLiteral("--output=/dev/null --chdir=") + dir.path());

    // 1. Runs and completes.
    form.wrapEdit()->setText(QStringLiteral("sleep 3"));
    const QString ok = submit(d, QStringLiteral("dash_ok"));
    ASSERT_FALSE(ok.isEmpty()) << qPrintable(form.messageLabel()->text())
                               << slurm.logs().toStdString();
    ASSERT_TRUE(waitUntil([&] { return d.job(ok) && d.job(ok)->running; }, 30000))
        << "the prolog's start; status " << qPrintable(statusText(d, ok));
    EXPECT_EQ(d.job(ok)->user, QStringLiteral("root"));
    EXPECT_EQ(d.job(ok)->name, QStringLiteral("dash_ok"));
    EXPECT_EQ(d.job(ok)->gpus.value(node).size(), 1) << "--gres=gpu:1 from the form";

    // 2. Stop while it runs: scancel.
    form.gpusBox()->setValue(0);
    form.wrapEdit()->setText(QStringLiteral("sleep 120"));
    const QString stopped = submit(d, QStringLiteral("dash_cancel"));
    ASSERT_FALSE(stopped.isEmpty()) << qPrintable(form.messageLabel()->text());
    ASSERT_TRUE(waitUntil([&] { return d.job(stopped) && d.job(stopped)->running; }, 30000))
        << qPrintable(statusText(d, stopped));
    spin(2000); // its batch step runs (cancelled before, the epilog cannot tell; test_slurm too)
    d.window->jobsPanel()->selectJob(stopped);
    ASSERT_TRUE(d.window->controls()->stopButton()->isEnabled());
    EXPECT_EQ(d.window->stopJob(), stopped);

    // 3. Held in the queue (--begin): a row of its own, pending; Stop cancels it before it ran.
    form.sbatchArgsEdit()->setText(QStringLiteral("--output=/dev/null --begin=now+3600 --chdir=") +
                                   dir.path());
    form.wrapEdit()->setText(QStringLiteral("true"));
    const QString held = submit(d, QStringLiteral("dash_held"));
    ASSERT_FALSE(held.isEmpty()) << qPrintable(form.messageLabel()->text());
    ASSERT_TRUE(
        waitUntil([&] { return statusText(d, held).startsWith(QStringLiteral("pending")); }, 15000))
        << qPrintable(statusText(d, held));
    d.window->jobsPanel()->selectJob(held);
    EXPECT_EQ(d.window->stopJob(), held);

    // 4. Refused by Slurm: said in the window.
    form.sbatchArgsEdit()->setText(QStringLiteral("--output=/dev/null"));
    form.partitionEdit()->setText(QStringLiteral("nope"));
    d.window->startJob();
    ASSERT_TRUE(waitUntil(
        [&] { return form.messageLabel()->text().contains(QStringLiteral("Slurm refused")); },
        20000))
        << qPrintable(form.messageLabel()->text());
    EXPECT_TRUE(form.messageLabel()->text().contains(QStringLiteral("partition")));

    // How each ended, in the table and in the launcher.
    ASSERT_TRUE(waitUntil(
        [&] {
            return launch.find(ok) && isFinal(launch.find(ok)->state) && d.job(ok) &&
                   !d.job(ok)->running && launch.find(stopped) &&
                   isFinal(launch.find(stopped)->state) &&
                   statusText(d, stopped).startsWith(QLatin1String("cancelled")) &&
                   statusText(d, held) == QLatin1String("cancelled");
        },
        60000))
        << qPrintable(statusText(d, ok)) << " / " << qPrintable(statusText(d, stopped)) << " / "
        << qPrintable(statusText(d, held)) << "\n"
        << slurm.logs().toStdString() << "\nhooks.log:\n"
        << qPrintable(readAll(dir.filePath(QStringLiteral("hooks.log"))));
    EXPECT_EQ(statusText(d, ok), QStringLiteral("ended"));
    EXPECT_EQ(statusText(d, stopped).left(9), QStringLiteral("cancelled"));
    EXPECT_EQ(statusText(d, held), QStringLiteral("cancelled"));
    EXPECT_EQ(launch.find(ok)->state, app::LaunchState::Ended);
    EXPECT_EQ(launch.find(stopped)->state, app::LaunchState::Cancelled);
    // The epilog's word for how they ended (scontrol's JobState, Reason and ExitCode).
    const QString hooksLog = readAll(dir.filePath(QStringLiteral("hooks.log")));
    EXPECT_EQ(d.job(ok)->exitState, QStringLiteral("completed")) << qPrintable(hooksLog);
    EXPECT_EQ(d.job(stopped)->exitState, QStringLiteral("cancelled")) << qPrintable(hooksLog);
    EXPECT_EQ(d.job(ok)->user, QStringLiteral("root"));
    // The CSV has the jobs with totals, not the one that never ran.
    const QString csv = d.window->jobsPanel()->model().toCsv();
    EXPECT_TRUE(csv.contains(ok + QLatin1Char(','))) << qPrintable(csv);
    EXPECT_FALSE(csv.contains(held)) << qPrintable(csv);

    // The processor's summary has them with Slurm's id, user and exit state; the held job never
    // ran, so no prolog ever published it.
    spin(1000);
    ASSERT_TRUE(processor.terminate(20000));
    agent.terminate();
    const QJsonObject summary = QJsonDocument::fromJson(processor.readStdout()).object();
    const QJsonObject okJob = jobIn(summary, ok);
    ASSERT_FALSE(okJob.isEmpty()) << processor.readStdout().toStdString();
    EXPECT_EQ(okJob.value(QLatin1String("user")).toString(), QStringLiteral("root"));
    EXPECT_EQ(okJob.value(QLatin1String("name")).toString(), QStringLiteral("dash_ok"));
    EXPECT_EQ(okJob.value(QLatin1String("exit_state")).toString(), QStringLiteral("completed"));
    EXPECT_GT(okJob.value(QLatin1String("kwh")).toDouble(), 0.0);
    const QJsonObject cancelledJob = jobIn(summary, stopped);
    EXPECT_EQ(cancelledJob.value(QLatin1String("exit_state")).toString(),
              QStringLiteral("cancelled"));
    EXPECT_EQ(cancelledJob.value(QLatin1String("user")).toString(), QStringLiteral("root"));
    EXPECT_TRUE(jobIn(summary, held).isEmpty());
}
