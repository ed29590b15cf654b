// The dashboard against a real mosquitto: job controls publish valid control messages, the
// table follows, the demo runs both jobs, power samples reach the charts, settings persist and
// apply. The screenshot of the live window: test_gui_screenshot.cpp.
#include "DashboardHarness.h"
#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "charts/ChartsPanel.h"
#include "charts/TimeChart.h"
#include "mqtt/MosquittoClient.h"
#include "options/Options.h"
#include "protocol/JobId.h"
#include "protocol/Protocol.h"
#include "runtime/Backend.h"
#include "runtime/Components.h"
#include "runtime/GuiSettings.h"
#include "runtime/JobController.h"
#include "widgets/ControlsPanel.h"
#include "widgets/HeaderCards.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/MainWindow.h"
#include "widgets/SettingsDialog.h"
#include "widgets/StatusBar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QtMath>
#include <cmath>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse;
using greenpulse::test::Dashboard;
using greenpulse::test::MosquittoBroker;
using greenpulse::test::MosquittoSubscriber;
using greenpulse::test::nowNs;
using greenpulse::test::SamplePublisher;
using greenpulse::test::waitUntil;

using greenpulse::test::GuiTest;

TEST_F(GuiTest, StartAndStopPublishValidControlMessagesAndTheTableFollows)
{
    MosquittoSubscriber subscriber;
    ASSERT_TRUE(subscriber.start(broker.url(), QStringLiteral("greenpulse/control")));
    app::MainWindow &w = *dashboard->window;
    w.controls()->nameEdit()->setText(QStringLiteral("Unit_Test_Job"));
    QTest::mouseClick(w.controls()->startButton(), Qt::LeftButton);

    ASSERT_TRUE(waitUntil([&] { return !controls(subscriber).isEmpty(); }, 5000));
    const core::ControlMessage start = controls(subscriber).first();
    EXPECT_EQ(start.status, core::JobStatus::Start);
    EXPECT_TRUE(start.jobId.startsWith(QStringLiteral("Unit_Test_Job_")))
        << qPrintable(start.jobId);
    EXPECT_TRUE(start.host.isEmpty()); // "All hosts"
    const QString id = start.jobId;

    ASSERT_TRUE(waitUntil([&] { return dashboard->job(id) && dashboard->job(id)->running; }, 5000));
    // The job started here is selected, so Stop (and Ctrl+.) acts on it.
    ASSERT_TRUE(waitUntil([&] { return w.controls()->stopButton()->isEnabled(); }, 3000));
    EXPECT_EQ(w.jobsPanel()->selectedRunningJobId(), id);

    QTest::keyClick(&w, Qt::Key_Period, Qt::ControlModifier);
    // Stopping asks first (test_gui_controls.cpp has the details).
    QPushButton *confirm = nullptr;
    ASSERT_TRUE(waitUntil(
        [&] { return (confirm = w.findChild<QPushButton *>(QStringLiteral("confirmStop"))); },
        3000));
    confirm->click();
    ASSERT_TRUE(waitUntil([&] { return controls(subscriber).size() >= 2; }, 5000));
    const core::ControlMessage end = controls(subscriber).at(1);
    EXPECT_EQ(end.status, core::JobStatus::End);
    EXPECT_EQ(end.jobId, id);
    ASSERT_TRUE(
        waitUntil([&] { return dashboard->job(id) && !dashboard->job(id)->running; }, 5000));
    EXPECT_FALSE(w.controls()->stopButton()->isEnabled());

    // CSV export of what the table shows.
    const QString csv = dir.filePath(QStringLiteral("jobs.csv"));
    QString error;
    ASSERT_TRUE(w.exportCsv(csv, &error)) << qPrintable(error);
    QFile file(csv);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    EXPECT_TRUE(text.startsWith("job_id,hosts,status,start_utc"));
    EXPECT_TRUE(text.contains(id.toUtf8() + ",")) << text.constData();
}

TEST_F(GuiTest, RunDemoProducesBothDemoJobs)
{
    MosquittoSubscriber subscriber;
    ASSERT_TRUE(subscriber.start(broker.url(), QStringLiteral("greenpulse/control")));
    app::MainWindow &w = *dashboard->window;
    app::DemoRunner &demo = dashboard->components->jobs->demo();
    ASSERT_EQ(demo.totalMs(), 35'000); // 10 + 5 + 15 + 5 s by default
    demo.setSteps({{QStringLiteral("Initial_Model_Train"), 700, 300},
                   {QStringLiteral("Hyperparameter_Tuning"), 900, 300}});
    QTest::mouseClick(w.controls()->demoButton(), Qt::LeftButton);
    EXPECT_TRUE(demo.isRunning());
    EXPECT_EQ(w.controls()->demoButton()->text(), QStringLiteral("Cancel demo"));
    // The window stays live while the demo runs.
    ASSERT_TRUE(waitUntil([&] { return !demo.isRunning(); }, 10000));
    EXPECT_EQ(w.controls()->demoButton()->text(), QStringLiteral("Run demo"));

    ASSERT_TRUE(waitUntil([&] { return controls(subscriber).size() >= 4; }, 5000));
    const QList<core::ControlMessage> messages = controls(subscriber);
    ASSERT_EQ(messages.size(), 4);
    EXPECT_EQ(messages[0].status, core::JobStatus::Start);
    EXPECT_TRUE(messages[0].jobId.startsWith(QStringLiteral("Initial_Model_Train_")));
    EXPECT_EQ(messages[1].status, core::JobStatus::End);
    EXPECT_EQ(messages[1].jobId, messages[0].jobId);
    EXPECT_EQ(messages[2].status, core::JobStatus::Start);
    EXPECT_TRUE(messages[2].jobId.startsWith(QStringLiteral("Hyperparameter_Tuning_")));
    EXPECT_EQ(messages[3].jobId, messages[2].jobId);
    for (int i : {0, 2}) {
        const QString id = messages[i].jobId;
        EXPECT_TRUE(
            waitUntil([&] { return dashboard->job(id) && !dashboard->job(id)->running; }, 5000))
            << qPrintable(id);
    }
}

TEST_F(GuiTest, PowerSamplesOfTwoHostsReachTheCharts)
{
    SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());
    app::ChartsPanel *charts = dashboard->window->charts();
    const QString a = QStringLiteral("power/gpu-node-a");
    const QString b = QStringLiteral("power/gpu-node-b");
    auto lastY = [&](const QString &key) {
        const QVector<QPointF> points = charts->powerChart()->linePoints(key);
        return points.isEmpty() ? -1.0 : points.constLast().y();
    };
    QElapsedTimer timer;
    timer.start();
    const bool seen = waitUntil(
        [&] {
            if (timer.elapsed() > 200) { // 5 Hz, like a real host agent would at least do
                publisher.power(QStringLiteral("gpu-node-a"), 310.0);
                publisher.power(QStringLiteral("gpu-node-b"), 145.5);
                timer.restart();
            }
            return lastY(a) == 310.0 && lastY(b) == 145.5;
        },
        10000);
    ASSERT_TRUE(seen) << "a: " << lastY(a) << " b: " << lastY(b);
    EXPECT_EQ(charts->powerChart()->lineLabel(a), QStringLiteral("gpu-node-a"));
    // Both hosts are offered in the host selector, and the header sums them.
    // The selector follows the processor's snapshots (4 a second), the charts their own 33 ms
    // tick: the hosts may show in a line a moment before they are offered.
    QComboBox *hosts = dashboard->window->controls()->hostBox();
    EXPECT_TRUE(waitUntil(
        [&] {
            return hosts->findData(QStringLiteral("gpu-node-a")) >= 0 &&
                   hosts->findData(QStringLiteral("gpu-node-b")) >= 0;
        },
        3000))
        << "host selector has " << hosts->count() << " entries";
    EXPECT_TRUE(waitUntil(
        [&] { return dashboard->window->cards()->power()->value() == QStringLiteral("456 W"); },
        3000))
        << qPrintable(dashboard->window->cards()->power()->value());
    // Redraws only happen when something changed (or once a second for the time axis).
    const quint64 before = charts->redrawCount();
    test::spin(1000);
    EXPECT_LE(charts->redrawCount() - before, 8u);
}

TEST_F(GuiTest, SettingsPersistAndApply)
{
    app::MainWindow &w = *dashboard->window;
    app::SettingsDialog *dialog = w.openSettings();
    ASSERT_NE(dialog, nullptr);
    auto *password = qobject_cast<QLineEdit *>(dialog->field(QStringLiteral("password")));
    ASSERT_NE(password, nullptr);
    EXPECT_EQ(password->echoMode(), QLineEdit::Password);
    dialog->setFieldText(QStringLiteral("carbon-intensity"), QStringLiteral("0.25"));
    dialog->setFieldText(QStringLiteral("pue"), QStringLiteral("1.4"));
    dialog->setFieldText(QStringLiteral("influx-token"), QStringLiteral("s3cr3t"));
    dialog->accept();

    // Persisted under the option names...
    QSettings stored(dir.filePath(QStringLiteral("gui.ini")), QSettings::IniFormat);
    EXPECT_EQ(stored.value(QStringLiteral("carbon-intensity")).toString(), QStringLiteral("0.25"));
    EXPECT_EQ(stored.value(QStringLiteral("pue")).toString(), QStringLiteral("1.4"));
    EXPECT_EQ(stored.value(QStringLiteral("influx-token")).toString(), QStringLiteral("s3cr3t"));
    // It holds a secret: only its owner may read it.
    EXPECT_EQ(QFile::permissions(stored.fileName()) &
                  (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
              QFile::Permissions());
    EXPECT_FALSE(stored.contains(QStringLiteral("max-gap-s"))); // untouched: not written
    // ...seen through the shared options...
    EXPECT_EQ(dashboard->options.source(QStringLiteral("pue")), QStringLiteral("settings"));
    // ...and applied without a restart (the processor's snapshot carries its config).
    ASSERT_TRUE(waitUntil(
        [&] {
            auto s = dashboard->components->backend->snapshot();
            return s && s->config.carbonKgPerKwh == 0.25 && s->config.pue == 1.4;
        },
        5000));

    // A broker change rebuilds both MQTT clients; they reconnect to the new broker.
    MosquittoBroker second;
    ASSERT_TRUE(second.start());
    dialog = w.openSettings();
    dialog->setFieldText(QStringLiteral("broker"), second.url());
    dialog->accept();
    EXPECT_TRUE(waitUntil(
        [&] {
            return dashboard->components->jobs->state() == core::ConnectionState::Connected &&
                   dashboard->guiSettings.processorMqttOptions().brokerUrl == second.url();
        },
        10000));
    broker.stop(); // the old one: no longer needed
    EXPECT_TRUE(dashboard->waitConnected());
    MosquittoSubscriber subscriber;
    ASSERT_TRUE(subscriber.start(second.url(), QStringLiteral("greenpulse/control")));
    const QString id = w.startJob();
    EXPECT_TRUE(waitUntil([&] { return !controls(subscriber).isEmpty(); }, 5000));
    EXPECT_TRUE(waitUntil([&] { return dashboard->job(id) != nullptr; }, 5000));
}

TEST_F(GuiTest, CommandLineWinsOverSettings)
{
    QTemporaryDir other;
    QSettings settings(other.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("pue"), QStringLiteral("1.3"));
    core::Options options(QStringLiteral("greenpulse"),
                          core::Options::Mqtt | core::Options::Influx | core::Options::Ledger);
    app::GuiSettings gui(settings, options);
    int code = 0;
    ASSERT_TRUE(options.parse(
        {QStringLiteral("greenpulse"), QStringLiteral("--pue"), QStringLiteral("1.1")}, &code,
        QProcessEnvironment()));
    EXPECT_EQ(gui.ledgerConfig().pue, 1.1);
    EXPECT_TRUE(gui.overridden(QStringLiteral("pue")));
    app::SettingsDialog dialog(gui);
    EXPECT_FALSE(dialog.field(QStringLiteral("pue"))->isEnabled());
}

// Issue 11: every loss is shown with its count, and a state file that cannot be saved is named.
TEST(GuiStatusBar, ShowsLossesAndAStateFileThatCannotBeSaved)
{
    app::StatusBar bar;
    core::ProcessorSnapshot snapshot;
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.lossesText().contains(QStringLiteral("nothing lost")));

    core::HostSummary host;
    host.host = QStringLiteral("gpu-01");
    host.missingSamples = 7;
    snapshot.hosts.push_back(host);
    snapshot.influx.pointsDropped = 5;
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.lossesText().contains(QStringLiteral("12 lost")))
        << bar.lossesText().toStdString();

    snapshot.stateSaveError = QStringLiteral("No space left on device");
    snapshot.stateSaveFailures = 3;
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.lossesText().contains(QStringLiteral("state file not saved")));
    EXPECT_TRUE(bar.lossesText().contains(QStringLiteral("No space left on device")));

    snapshot.stateSaveError.clear();
    snapshot.journalFailures = 2;
    snapshot.reconciledEnds = 1;
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.lossesText().contains(QStringLiteral("2 control messages not journaled")))
        << bar.lossesText().toStdString();
    EXPECT_TRUE(bar.lossesToolTip().contains(QStringLiteral("after a restart")))
        << bar.lossesToolTip().toStdString();
}

TEST(GuiStatusBar, SaysWhereThePowerComesFromAndNeverPassesSimulatedAsMeasured)
{
    app::StatusBar bar;
    core::ProcessorSnapshot snapshot;
    auto host = [](const char *name, const char *source) {
        core::HostSummary h;
        h.host = QString::fromLatin1(name);
        h.hasPower = true;
        h.watts = 400;
        h.powerSource = QString::fromLatin1(source);
        return h;
    };
    core::HostSummary gpu = host("gpu-01", "rapl,nvml");
    gpu.hasEnergyCounter = true;
    gpu.components = {{QStringLiteral("package-0"), 80.5, 1000.0, {}},
                      {QStringLiteral("gpu0"), 319.5, 5000.0, {}}};
    snapshot.hosts = {gpu};
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.powerText().contains(QStringLiteral("power measured (nvml, rapl)")))
        << bar.powerText().toStdString();
    EXPECT_TRUE(bar.powerToolTip().contains(QStringLiteral("package-0 80.5 W")))
        << bar.powerToolTip().toStdString();
    EXPECT_TRUE(bar.powerToolTip().contains(QStringLiteral("energy counter")));
    // GPUs that drew more than their host: said, with how often (docs/accounting.md).
    snapshot.gpuEnergyClamped = 3;
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.powerText().contains(QStringLiteral("GPUs above host ×3")))
        << bar.powerText().toStdString();
    EXPECT_TRUE(bar.powerToolTip().startsWith(QStringLiteral("3 intervals in which the GPUs")))
        << bar.powerToolTip().toStdString();
    snapshot.gpuEnergyClamped = 0;

    snapshot.hosts.push_back(host("sim-01", "sim"));
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.powerText().contains(QStringLiteral("1 of 2 hosts simulated")))
        << bar.powerText().toStdString();
    EXPECT_TRUE(bar.powerToolTip().contains(QStringLiteral("sim-01: SIMULATED")));

    snapshot.hosts = {host("sim-01", "sim")};
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.powerText().contains(QStringLiteral("power SIMULATED")));
    snapshot.hosts = {host("old-01", "")}; // a publisher of the original contract
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.powerText().contains(QStringLiteral("power source not reported")));
}

TEST(GuiStatusBar, NamesHostsWhoseClockIsOff)
{
    app::StatusBar bar;
    core::ProcessorSnapshot snapshot;
    auto host = [](const char *name, double offset, quint64 restamped) {
        core::HostSummary h;
        h.host = QString::fromLatin1(name);
        h.hasClockOffset = true;
        h.clockOffsetSeconds = offset;
        h.clockSkewSamples = restamped;
        return h;
    };
    snapshot.hosts = {host("gpu-01", 0.01, 0), host("gpu-02", -0.3, 0)};
    bar.setSnapshot(snapshot);
    EXPECT_TRUE(bar.clocksText().contains(QStringLiteral("clocks in sync")))
        << bar.clocksText().toStdString();

    snapshot.hosts.push_back(host("gpu-03", -7200.0, 12));
    snapshot.hosts.push_back(host("gpu-04", 3.5, 0));
    bar.setSnapshot(snapshot);
    const QString text = bar.clocksText();
    EXPECT_TRUE(text.contains(QStringLiteral("2 host clocks off"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("gpu-03"))) << text.toStdString(); // the worst
    const QString tip = bar.clocksToolTip();
    EXPECT_TRUE(tip.contains(QStringLiteral("gpu-04: +3.5 s (0)"))) << tip.toStdString();
    EXPECT_TRUE(tip.indexOf(QStringLiteral("gpu-03")) < tip.indexOf(QStringLiteral("gpu-04")));
    EXPECT_FALSE(tip.contains(QStringLiteral("gpu-01")));
}

TEST(GuiJobsTable, ShowsASchedulersUserExitStateAndDetails)
{
    using app::JobsTableModel;
    JobsTableModel model;
    core::JobSummary job;
    job.jobId = QStringLiteral("slurm-hpc-42");
    job.user = QStringLiteral("alice");
    job.name = QStringLiteral("train");
    job.gpus.insert(QStringLiteral("node1"), {QStringLiteral("0"), QStringLiteral("3")});
    job.exitState = QStringLiteral("cancelled");
    job.exitCode = 143;
    core::JobSummary plain;
    plain.jobId = QStringLiteral("j_1764049200_a1b2c3");
    plain.exitCode = 0;
    model.update({job, plain});
    ASSERT_EQ(model.rowCount(), 2);
    const int row = model.data(model.index(0, JobsTableModel::JobColumn), JobsTableModel::JobIdRole)
                                .toString() == job.jobId
                        ? 0
                        : 1;
    EXPECT_EQ(model.headerData(JobsTableModel::UserColumn, Qt::Horizontal).toString(),
              QStringLiteral("User"));
    EXPECT_EQ(model.data(model.index(row, JobsTableModel::UserColumn)).toString(),
              QStringLiteral("alice"));
    EXPECT_EQ(model.data(model.index(row, JobsTableModel::StatusColumn)).toString(),
              QStringLiteral("cancelled (exit 143)"));
    const QString tip =
        model.data(model.index(row, JobsTableModel::JobColumn), Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("Name: train"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("GPUs on node1: 0, 3"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("Ended: cancelled"))) << tip.toStdString();
    // A job without details reads as before.
    EXPECT_EQ(model.data(model.index(1 - row, JobsTableModel::StatusColumn)).toString(),
              QStringLiteral("ended"));
    EXPECT_TRUE(model.data(model.index(1 - row, JobsTableModel::UserColumn)).toString().isEmpty());
}

TEST(GuiJobsTable, ChangedRowsAreAnnouncedOnceAsOneRange)
{
    // With hundreds of running jobs every snapshot changes every row: one dataChanged() for the
    // changed range, not one per row (each ran the proxy's sort and the panel's count again).
    using app::JobsTableModel;
    JobsTableModel model;
    std::vector<core::JobSummary> jobs(5);
    for (size_t i = 0; i < jobs.size(); ++i) {
        jobs[i].jobId = QStringLiteral("job-%1").arg(i);
        jobs[i].running = true;
        jobs[i].kwh = 1.0;
    }
    model.update(jobs);
    ASSERT_EQ(model.rowCount(), 5);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    jobs[1].kwh = 2.0;
    jobs[3].kwh = 4.0;
    jobs.push_back(jobs[0]);
    jobs.back().jobId = QStringLiteral("job-new");
    model.update(jobs);
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(inserted.count(), 1);
    const auto from = changed.at(0).at(0).value<QModelIndex>();
    const auto to = changed.at(0).at(1).value<QModelIndex>();
    EXPECT_EQ(from.row(), model.rowOf(QStringLiteral("job-1")));
    EXPECT_EQ(to.row(), model.rowOf(QStringLiteral("job-3")));
    EXPECT_EQ(from.column(), 0);
    EXPECT_EQ(to.column(), JobsTableModel::ColumnCount - 1);
    EXPECT_EQ(model.rowCount(), 6);
    // Nothing changed: nothing announced.
    changed.clear();
    model.update(jobs);
    EXPECT_EQ(changed.count(), 0);
}
