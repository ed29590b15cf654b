// The dashboard's launchers (docs/dashboard.md, "Launchers"): the Command launcher runs what the
// operator typed, publishes its end with the exit code, stops it with SIGTERM then SIGKILL, and
// keeps its output for the jobs table; errors (a command that cannot run, sbatch missing, a
// submission Slurm refuses) show in the window. Against a real mosquitto; the Slurm launcher
// against a real Slurm: test_gui_slurm.cpp.
#include "DashboardHarness.h"
#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "accounting/LedgerTypes.h"
#include "runtime/GuiSettings.h"
#include "runtime/launchers/CommandLine.h"
#include "runtime/launchers/LaunchControl.h"
#include "runtime/launchers/OutputBuffer.h"
#include "runtime/launchers/SlurmCommands.h"
#include "widgets/ControlsPanel.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/LaunchOutputDialog.h"
#include "widgets/LauncherPanel.h"
#include "widgets/LauncherSettingsBox.h"
#include "widgets/MainWindow.h"
#include "widgets/SettingsDialog.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <gtest/gtest.h>

using namespace greenpulse;
using greenpulse::test::Dashboard;
using greenpulse::test::GuiTest;
using greenpulse::test::MosquittoSubscriber;
using greenpulse::test::waitUntil;

namespace {

std::optional<core::ControlMessage> endOf(const QList<core::ControlMessage> &messages,
                                          const QString &jobId)
{
    for (const core::ControlMessage &m : messages) {
        if (m.jobId == jobId && m.status == core::JobStatus::End) {
            return m;
        }
    }
    return std::nullopt;
}

QString statusText(Dashboard &d, const QString &jobId)
{
    app::JobsTableModel &model = d.window->jobsPanel()->model();
    const int row = model.rowOf(jobId);
    return row < 0 ? QString()
                   : model.index(row, app::JobsTableModel::StatusColumn).data().toString();
}

// A dashboard whose Start runs the launcher that `args` name.
class LauncherTest : public GuiTest
{
protected:
    void restartWith(const QStringList &args)
    {
        dashboard.reset();
        dashboard = std::make_unique<Dashboard>(broker.url(), dir.path(), args);
        ASSERT_TRUE(dashboard->parsed);
        ASSERT_TRUE(dashboard->waitConnected());
        if (!m_subscribed) {
            ASSERT_TRUE(subscriber.start(broker.url(), QStringLiteral("greenpulse/control")));
            m_subscribed = true;
        }
    }
    app::MainWindow &window() { return *dashboard->window; }
    app::LauncherPanel &panel() { return *dashboard->window->launcherPanel(); }
    app::LaunchControl &launch() { return *dashboard->components->launch; }

    MosquittoSubscriber subscriber;
    bool m_subscribed = false;
};

} // namespace

TEST(LauncherUnits, SbatchArgumentsAndWhatSlurmAnswers)
{
    app::LaunchRequest r;
    r.name = QStringLiteral("train");
    r.partition = QStringLiteral("debug");
    r.gpus = 2;
    r.command = QStringLiteral("python3 train.py --epochs 3");
    r.sbatchArgs = QStringLiteral("--time=10 --output='/tmp/a b.out'");
    QString error;
    const QStringList expected = {QStringLiteral("--parsable"),
                                  QStringLiteral("--job-name=train"),
                                  QStringLiteral("--partition=debug"),
                                  QStringLiteral("--gres=gpu:2"),
                                  QStringLiteral("--time=10"),
                                  QStringLiteral("--output=/tmp/a b.out"),
                                  QStringLiteral("--wrap=python3 train.py --epochs 3")};
    EXPECT_EQ(app::slurmcmd::sbatchArguments(r, &error), expected);
    r.script = QStringLiteral("/home/me/job.sh");
    EXPECT_EQ(app::slurmcmd::sbatchArguments(r, &error).last(), QStringLiteral("/home/me/job.sh"));
    r.script.clear();
    r.command.clear();
    EXPECT_TRUE(app::slurmcmd::sbatchArguments(r, &error).isEmpty());
    EXPECT_FALSE(error.isEmpty());

    EXPECT_EQ(app::slurmcmd::parseSbatch("42\n")->slurmJobId, QStringLiteral("42"));
    EXPECT_EQ(app::slurmcmd::parseSbatch("42;gptest\n")->cluster, QStringLiteral("gptest"));
    EXPECT_FALSE(app::slurmcmd::parseSbatch("sbatch: error: x\n").has_value());

    const auto rows = app::slurmcmd::parseSqueue(
        "7                                       RUNNING                 gptest      \n"
        "slurm_load_jobs error: Invalid job id specified\n");
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].slurmJobId, QStringLiteral("7"));
    EXPECT_EQ(rows[0].state, QStringLiteral("RUNNING"));
    EXPECT_EQ(rows[0].cluster, QStringLiteral("gptest"));
    EXPECT_EQ(app::slurmcmd::stateOf(QStringLiteral("PENDING")), app::LaunchState::Pending);
    EXPECT_EQ(app::slurmcmd::stateOf(QStringLiteral("COMPLETING")), app::LaunchState::Running);
    EXPECT_EQ(app::slurmcmd::stateOf(QStringLiteral("CANCELLED")), app::LaunchState::Cancelled);
    EXPECT_EQ(app::slurmcmd::stateOf(QStringLiteral("TIMEOUT")), app::LaunchState::Failed);
    EXPECT_EQ(app::slurmcmd::stateOf(QStringLiteral("COMPLETED")), app::LaunchState::Ended);
    EXPECT_FALSE(app::slurmcmd::stateOf(QStringLiteral("WHATEVER")).has_value());
    core::JobSummary job;
    job.exitState = QStringLiteral("timeout");
    EXPECT_EQ(app::slurmcmd::endStateOf(job), app::LaunchState::Failed);
    job.exitState.clear();
    job.exitCode = 0;
    EXPECT_EQ(app::slurmcmd::endStateOf(job), app::LaunchState::Ended);
}

TEST(LauncherUnits, CommandLinesSplitLikeShellWordsWithoutAShell)
{
    using app::splitCommandLine;
    EXPECT_EQ(*splitCommandLine(QStringLiteral("  python3  train.py --lr 0.1 ")),
              (QStringList{QStringLiteral("python3"), QStringLiteral("train.py"),
                           QStringLiteral("--lr"), QStringLiteral("0.1")}));
    EXPECT_EQ(*splitCommandLine(QStringLiteral("sh -c 'echo \"$HOME\"; exit 3'")),
              (QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                           QStringLiteral("echo \"$HOME\"; exit 3")}));
    EXPECT_EQ(*splitCommandLine(QStringLiteral("a\\ b \"c \\\" d\"e ''")),
              (QStringList{QStringLiteral("a b"), QStringLiteral("c \" de"), QString()}));
    EXPECT_EQ(*splitCommandLine(QStringLiteral("echo $HOME *")),
              (QStringList{QStringLiteral("echo"), QStringLiteral("$HOME"), QStringLiteral("*")}))
        << "no expansion: there is no shell";
    QString error;
    EXPECT_FALSE(splitCommandLine(QStringLiteral("sh -c 'oops"), &error).has_value());
    EXPECT_FALSE(error.isEmpty());
    EXPECT_TRUE(splitCommandLine(QString())->isEmpty());
}

TEST(LauncherUnits, OutputBufferKeepsTheTailAndCountsWhatItDrops)
{
    app::OutputBuffer buffer(10);
    buffer.append("0123456");
    buffer.append("789ab");
    EXPECT_EQ(buffer.text(), QByteArray("23456789ab"));
    EXPECT_EQ(buffer.droppedBytes(), 2u);
    buffer.append(QByteArray(25, 'x'));
    EXPECT_EQ(buffer.text(), QByteArray(10, 'x'));
    EXPECT_EQ(buffer.droppedBytes(), 27u);
    EXPECT_EQ(buffer.totalBytes(), 37u);
}

TEST_F(LauncherTest, CommandExitCodeReachesTheEndAndItsOutputIsViewable)
{
    restartWith({QStringLiteral("--launcher"), QStringLiteral("command")});
    EXPECT_EQ(panel().titleLabel()->text(), QStringLiteral("Launcher: Command"));
    EXPECT_TRUE(panel().commandEdit()->isVisible());
    window().controls()->nameEdit()->setText(QStringLiteral("Cmd_Job"));
    panel().commandEdit()->setText(
        QStringLiteral("sh -c 'echo hello from the job; echo to stderr >&2; exit 3'"));
    QTest::mouseClick(window().controls()->startButton(), Qt::LeftButton);
    const QString id = launch().lastStarted();
    ASSERT_TRUE(id.startsWith(QStringLiteral("Cmd_Job_"))) << qPrintable(id);

    ASSERT_TRUE(waitUntil([&] { return endOf(controls(subscriber), id).has_value(); }, 10000));
    EXPECT_EQ(endOf(controls(subscriber), id)->exitCode, 3);
    ASSERT_TRUE(
        waitUntil([&] { return dashboard->job(id) && !dashboard->job(id)->running; }, 5000));
    EXPECT_EQ(statusText(*dashboard, id), QStringLiteral("failed (exit 3)"));

    // Double-click on its row opens the output, read-only.
    app::JobsPanel &jobs = *window().jobsPanel();
    const QModelIndex cell = jobs.proxy()->mapFromSource(
        jobs.model().index(jobs.model().rowOf(id), app::JobsTableModel::JobColumn));
    emit jobs.view()->doubleClicked(cell);
    auto *dialog = panel().findChild<app::LaunchOutputDialog *>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->textView()->isReadOnly());
    EXPECT_TRUE(dialog->textView()->toPlainText().contains(QStringLiteral("hello from the job")));
    EXPECT_TRUE(dialog->textView()->toPlainText().contains(QStringLiteral("to stderr")));
    dialog->close();
}

TEST_F(LauncherTest, AChattyCommandsOutputIsBoundedAndTheDialogSaysWhatWasDropped)
{
    restartWith({QStringLiteral("--launcher"), QStringLiteral("command")});
    panel().commandEdit()->setText(
        QStringLiteral("sh -c 'head -c 300000 /dev/zero | tr \"\\000\" x; echo; echo END'"));
    window().startJob();
    const QString id = launch().lastStarted();
    ASSERT_TRUE(waitUntil([&] { return endOf(controls(subscriber), id).has_value(); }, 10000));
    EXPECT_EQ(endOf(controls(subscriber), id)->exitCode, 0);
    const app::OutputBuffer *out = launch().output(id);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->totalBytes(), 300005u);
    EXPECT_EQ(out->text().size(), app::OutputBuffer::kDefaultCapacity);
    EXPECT_EQ(out->droppedBytes(), 300005u - app::OutputBuffer::kDefaultCapacity);
    EXPECT_TRUE(out->text().endsWith("xxx\nEND\n"));
    app::LaunchOutputDialog *dialog = panel().showOutput(id);
    EXPECT_TRUE(dialog->droppedLabel()->text().contains(QStringLiteral("were dropped")))
        << qPrintable(dialog->droppedLabel()->text());
    dialog->close();
}

TEST_F(LauncherTest, StopSendsSigtermThenSigkillToACommandThatIgnoresIt)
{
    restartWith({QStringLiteral("--launcher"), QStringLiteral("command"),
                 QStringLiteral("--stop-grace-s"), QStringLiteral("1")});
    // The shell traps TERM (and goes on); its sleep gets TERM too, as one process group.
    panel().commandEdit()->setText(QStringLiteral(
        "sh -c 'trap \"echo got TERM\" TERM; echo ready; while :; do sleep 0.2; done'"));
    window().startJob();
    const QString id = launch().lastStarted();
    ASSERT_FALSE(id.isEmpty());
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto *out = launch().output(id);
            return out && out->text().contains("ready");
        },
        10000));
    ASSERT_TRUE(waitUntil([&] { return window().controls()->stopButton()->isEnabled(); }, 5000));
    EXPECT_EQ(window().stopJob(), id);

    ASSERT_TRUE(waitUntil([&] { return endOf(controls(subscriber), id).has_value(); }, 15000));
    EXPECT_EQ(endOf(controls(subscriber), id)->exitCode, 128 + 9); // SIGKILL, as a shell says
    EXPECT_TRUE(launch().output(id)->text().contains("got TERM")) << "SIGTERM came first";
    EXPECT_EQ(launch().find(id)->state, app::LaunchState::Cancelled);
    ASSERT_TRUE(
        waitUntil([&] { return dashboard->job(id) && !dashboard->job(id)->running; }, 5000));
    ASSERT_TRUE(waitUntil(
        [&] { return statusText(*dashboard, id) == QStringLiteral("cancelled (exit 137)"); }, 3000))
        << qPrintable(statusText(*dashboard, id));

    // A command that leaves at SIGTERM ends with 143, at once.
    panel().commandEdit()->setText(QStringLiteral("sleep 60"));
    window().startJob();
    const QString second = launch().lastStarted();
    ASSERT_NE(second, id);
    EXPECT_EQ(window().stopJob(), second);
    ASSERT_TRUE(waitUntil([&] { return endOf(controls(subscriber), second).has_value(); }, 5000));
    EXPECT_EQ(endOf(controls(subscriber), second)->exitCode, 128 + 15);
}

TEST_F(LauncherTest, ACommandThatCannotRunIsShownInTheWindowAndEndsWith127)
{
    restartWith({QStringLiteral("--launcher"), QStringLiteral("command")});
    panel().commandEdit()->setText(QStringLiteral("/nonexistent/greenpulse-no-such-program --x"));
    window().startJob();
    const QString id = launch().lastStarted();
    ASSERT_TRUE(waitUntil([&] { return panel().messageLabel()->isVisible(); }, 5000));
    EXPECT_TRUE(panel().messageLabel()->text().contains(
        QStringLiteral("Cannot run /nonexistent/greenpulse-no-such-program")))
        << qPrintable(panel().messageLabel()->text());
    EXPECT_TRUE(panel().messageLabel()->property("error").toBool());
    ASSERT_TRUE(waitUntil([&] { return endOf(controls(subscriber), id).has_value(); }, 5000));
    EXPECT_EQ(endOf(controls(subscriber), id)->exitCode, 127);

    // An empty command line is refused before anything is published.
    panel().commandEdit()->clear();
    EXPECT_TRUE(window().startJob().isEmpty());
    EXPECT_TRUE(panel().messageLabel()->text().contains(QStringLiteral("Type the command")));
}

TEST_F(LauncherTest, SbatchMissingOrASubmissionRefusedIsShownInTheWindow)
{
    restartWith({QStringLiteral("--launcher"), QStringLiteral("slurm"), QStringLiteral("--sbatch"),
                 QStringLiteral("/nonexistent/sbatch")});
    EXPECT_EQ(panel().titleLabel()->text(), QStringLiteral("Launcher: Slurm (default partition)"));
    panel().partitionEdit()->setText(QStringLiteral("debug"));
    EXPECT_EQ(panel().titleLabel()->text(), QStringLiteral("Launcher: Slurm (partition debug)"));
    panel().wrapEdit()->setText(QStringLiteral("sleep 1"));
    EXPECT_TRUE(window().startJob().isEmpty()); // known once sbatch answers
    ASSERT_TRUE(
        waitUntil([&] { return panel().messageLabel()->property("error").toBool(); }, 10000));
    EXPECT_TRUE(panel().messageLabel()->text().contains(
        QStringLiteral("Cannot run sbatch (/nonexistent/sbatch)")))
        << qPrintable(panel().messageLabel()->text());
    EXPECT_TRUE(panel().messageLabel()->property("error").toBool());

    // A refusal: sbatch's own words, in the window.
    const QString fake = dir.filePath(QStringLiteral("sbatch"));
    QFile script(fake);
    ASSERT_TRUE(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\necho 'sbatch: error: Batch job submission failed: Invalid partition "
                 "name specified' >&2\nexit 1\n");
    script.close();
    script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    dashboard->guiSettings.setStored(QStringLiteral("sbatch"), fake); // as Settings would
    restartWith({QStringLiteral("--launcher"), QStringLiteral("slurm")});
    window().startJob();
    ASSERT_TRUE(waitUntil(
        [&] {
            return panel().messageLabel()->text().contains(QStringLiteral("Slurm refused the job"));
        },
        10000))
        << qPrintable(panel().messageLabel()->text());
    EXPECT_TRUE(panel().messageLabel()->text().contains(QStringLiteral("Invalid partition")));
    // For the eye: the launcher's row with its error, under the buttons.
    const QString folder = QStringLiteral(GREENPULSE_BUILD_DIR "/screenshots");
    QDir().mkpath(folder);
    window().resize(1440, 900);
    QCoreApplication::processEvents();
    EXPECT_TRUE(window().grab().save(folder + QStringLiteral("/launcher-slurm-error.png")));
    EXPECT_TRUE(controls(subscriber).isEmpty()) << "nothing published for a refused job";
}

TEST_F(LauncherTest, SettingsChooseTheLauncherAndTheButtonsSayWhich)
{
    restartWith({});
    EXPECT_EQ(panel().titleLabel()->text(), QStringLiteral("Launcher: Label only"));
    app::SettingsDialog *dialog = window().openSettings();
    app::LauncherSettingsBox *box = dialog->launcherBox();
    box->kindBox()->setCurrentIndex(box->kindBox()->findData(QStringLiteral("command")));
    dialog->accept();
    EXPECT_EQ(panel().titleLabel()->text(), QStringLiteral("Launcher: Command"));
    EXPECT_EQ(dashboard->guiSettings.stored(QStringLiteral("launcher")), QStringLiteral("command"));
    // Persisted: a new dashboard on the same settings starts with it.
    restartWith({});
    EXPECT_EQ(launch().kind(), app::Launcher::Kind::Command);
    // The command line wins, and the dialog shows it read-only.
    restartWith({QStringLiteral("--launcher"), QStringLiteral("label")});
    EXPECT_EQ(launch().kind(), app::Launcher::Kind::Label);
    dialog = window().openSettings();
    EXPECT_FALSE(dialog->launcherBox()->kindBox()->isEnabled());
    dialog->reject();
}
