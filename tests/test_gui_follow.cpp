// Follow mode: a dashboard started late with --follow shows the ledger the real
// greenpulse-processor publishes (its totals to the last digit), says whose ledger it shows and
// when it went silent, and writes nothing to InfluxDB (no processor and no writer in it).
#include "DashboardHarness.h"
#include "InfluxServer.h"
#include "MosquittoBroker.h"
#include "PipelineStack.h"
#include "TestSupport.h"
#include "protocol/Protocol.h"
#include "runtime/Backend.h"
#include "runtime/FollowBackend.h"
#include "widgets/MainWindow.h"
#include "widgets/SettingsDialog.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse;
using test::waitUntil;

namespace {

QJsonObject jobById(const QJsonObject &out, const QString &id)
{
    for (const QJsonValue &value : out.value(QLatin1String("jobs")).toArray()) {
        if (value[QLatin1String("job_id")].toString() == id) {
            return value.toObject();
        }
    }
    return {};
}

// The site's processor, publishing its ledger as `name` twice a second; no InfluxDB of its own.
bool startSiteProcessor(test::Child &processor, const QString &brokerUrl, const QString &name)
{
    return test::startProcessor(
        processor,
        {QStringLiteral("--broker"), brokerUrl, QStringLiteral("--client-id"),
         QStringLiteral("gui-follow-proc"), QStringLiteral("--processor-name"), name,
         QStringLiteral("--ledger-interval-s"), QStringLiteral("0.5"), QStringLiteral("--config"),
         QStringLiteral("/dev/null"), QStringLiteral("--state-file"), QStringLiteral("none")});
}

void control(test::SamplePublisher &publisher, core::JobStatus status, const QString &job,
             const QString &host)
{
    publisher.client->publish(core::topics::kControl,
                              core::encode(test::controlAt(status, job, host, test::nowNs())), 1);
}

// One round of power and coolant samples from `hosts` (odd values), then 150 ms.
void publishRound(test::SamplePublisher &publisher, const QStringList &hosts, int i)
{
    for (int h = 0; h < hosts.size(); ++h) {
        publisher.power(hosts[h], 250.3 + 40.1 * h + 0.7 * i);
        publisher.flow(hosts[h], 2.7 + 0.1 * h, 30.1 + 0.5 * h + 0.1 * i);
    }
    test::spin(150);
}

QString ledgerSourceText(test::Dashboard &dashboard)
{
    const auto *label = dashboard.window->findChild<QLabel *>(QStringLiteral("ledgerSource"));
    return label ? label->text() : QString();
}

} // namespace

TEST(GuiFollow, ALateDashboardShowsTheProcessorsTotalsAndWritesNothingToInflux)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    test::InfluxServer influx;
    ASSERT_TRUE(influx.start()) << qPrintable(influx.lastError());
    QTemporaryDir dir;
    const QString name = QStringLiteral("site-gui");

    // The site's processor (writing no InfluxDB itself: whatever lands there is the window's).
    test::Child processor;
    ASSERT_TRUE(startSiteProcessor(processor, broker.url(), name))
        << processor.readStderr().constData();
    test::SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());
    const QString ended = QStringLiteral("ended-before");
    const QString running = QStringLiteral("running-before");
    control(publisher, core::JobStatus::Start, ended, QStringLiteral("gpu-1"));
    control(publisher, core::JobStatus::Start, running, QStringLiteral("gpu-2"));
    test::spin(300);
    for (int i = 0; i < 20; ++i) {
        publishRound(publisher, {QStringLiteral("gpu-1"), QStringLiteral("gpu-2")}, i);
        if (i == 14) {
            control(publisher, core::JobStatus::End, ended, QStringLiteral("gpu-1"));
        }
    }
    test::spin(1500); // taken and published; nothing changes its totals from here

    // The dashboard starts only now, following "site-gui", with an InfluxDB URL it must not use.
    const QString db = QStringLiteral("follow_db");
    test::Dashboard dashboard(broker.url(), dir.path(),
                              {QStringLiteral("--follow"), name, QStringLiteral("--influx-url"),
                               influx.url(), QStringLiteral("--influx-db"), db,
                               QStringLiteral("--spool-dir"),
                               dir.filePath(QStringLiteral("spool"))});
    ASSERT_TRUE(dashboard.parsed);
    EXPECT_EQ(dashboard.components->backend, nullptr); // no processor, no InfluxWriter
    ASSERT_NE(dashboard.components->follower, nullptr);
    EXPECT_TRUE(
        dashboard.window->windowTitle().contains(QStringLiteral("following processor site-gui")))
        << dashboard.window->windowTitle().toStdString();
    ASSERT_TRUE(dashboard.waitConnected());
    ASSERT_TRUE(waitUntil([&] { return dashboard.job(ended) && dashboard.job(running); }, 10000));
    EXPECT_EQ(ledgerSourceText(dashboard), QStringLiteral("Following processor site-gui"));

    const QByteArray stderrBefore = processor.readStderr();
    ASSERT_TRUE(processor.terminate(20000));
    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();
    ASSERT_FALSE(out.isEmpty()) << stderrBefore.constData();
    // The last summary before it stopped: the window says so, with the final totals.
    ASSERT_TRUE(waitUntil(
        [&] { return ledgerSourceText(dashboard).contains(QStringLiteral("stopped at")); }, 10000))
        << ledgerSourceText(dashboard).toStdString();
    for (const QString &id : {ended, running}) {
        const core::JobSummary *row = dashboard.job(id);
        ASSERT_NE(row, nullptr);
        const QJsonObject theirs = jobById(out, id);
        ASSERT_FALSE(theirs.isEmpty());
        // To the last digit: the same doubles, not merely close ones.
        EXPECT_EQ(row->kwh, theirs[QLatin1String("kwh")].toDouble()) << id.toStdString();
        EXPECT_EQ(row->co2eKg, theirs[QLatin1String("co2e_kg")].toDouble());
        EXPECT_EQ(row->liters, theirs[QLatin1String("liters")].toDouble());
        EXPECT_EQ(row->coverage, theirs[QLatin1String("coverage")].toDouble());
        EXPECT_EQ(static_cast<qint64>(row->samples), theirs[QLatin1String("samples")].toInteger());
        EXPECT_GT(row->kwh, 0.0);
    }
    EXPECT_GT(dashboard.job(running)->liters, 0.0);

    // Nothing reached InfluxDB from the window: no database, no series.
    test::spin(1500);
    const QJsonObject databases = influx.query(QStringLiteral("SHOW DATABASES"));
    EXPECT_FALSE(QJsonDocument(databases).toJson(QJsonDocument::Compact).contains(db.toUtf8()))
        << QJsonDocument(databases).toJson().constData();
    EXPECT_TRUE(influx.rows(QStringLiteral("SELECT * FROM /.*/"), db).isEmpty());
}

// ctest -R Screenshot: <build>/screenshots/follow-mode.png, a window following a site's processor
// at 1600x1000: jobs that began before it started, the charts since it started.
TEST(GuiFollow, ScreenshotOfAFollowModeWindow)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    const QString name = QStringLiteral("site-gui");
    test::Child processor;
    ASSERT_TRUE(startSiteProcessor(processor, broker.url(), name))
        << processor.readStderr().constData();
    test::SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());
    QStringList hosts;
    for (int h = 1; h <= 6; ++h) {
        hosts << QStringLiteral("gpu-%1").arg(h);
    }
    control(publisher, core::JobStatus::Start, QStringLiteral("Pretrain_7B"), hosts[0]);
    control(publisher, core::JobStatus::Start, QStringLiteral("Finetune_Chat"), hosts[1]);
    control(publisher, core::JobStatus::Start, QStringLiteral("Eval_Benchmark"), hosts[2]);
    for (int i = 0; i < 12; ++i) {
        publishRound(publisher, hosts, i);
    }
    control(publisher, core::JobStatus::End, QStringLiteral("Eval_Benchmark"), hosts[2]);

    test::Dashboard dashboard(broker.url(), dir.path(), {QStringLiteral("--follow"), name});
    ASSERT_TRUE(dashboard.parsed);
    dashboard.window->resize(1600, 1000);
    ASSERT_TRUE(dashboard.waitConnected());
    for (int i = 12; i < 60; ++i) {
        publishRound(publisher, hosts, i);
    }
    ASSERT_TRUE(waitUntil([&] { return dashboard.job(QStringLiteral("Eval_Benchmark")); }, 10000));
    EXPECT_EQ(ledgerSourceText(dashboard), QStringLiteral("Following processor site-gui"));
    const QString folder = QStringLiteral(GREENPULSE_BUILD_DIR "/screenshots");
    ASSERT_TRUE(QDir().mkpath(folder));
    const QString path = folder + QStringLiteral("/follow-mode.png");
    EXPECT_TRUE(dashboard.window->grab().save(path)) << qPrintable(path);
}

TEST(GuiFollow, TheOwnProcessorIsSaidToo)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    test::Dashboard dashboard(broker.url(), dir.path());
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_NE(dashboard.components->backend, nullptr);
    EXPECT_EQ(dashboard.components->follower, nullptr);
    EXPECT_EQ(ledgerSourceText(dashboard), QStringLiteral("Own processor (desktop)"));
    EXPECT_FALSE(dashboard.window->windowTitle().contains(QStringLiteral("following")));
}

// Choosing another ledger in Settings reopens the window on it: the window closes itself and
// says so, so that main() builds the follower and a new window (main.cpp's loop); a dashboard
// built as main() does then follows, with the settings the dialog stored.
TEST(GuiFollow, ChoosingToFollowInSettingsReopensTheWindowOnTheFollowedLedger)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    QTemporaryDir dir;
    {
        test::Dashboard dashboard(broker.url(), dir.path());
        ASSERT_TRUE(dashboard.parsed);
        dashboard.window->show();
        app::SettingsDialog *dialog = dashboard.window->openSettings();
        ASSERT_NE(dialog, nullptr);
        dialog->setFieldText(core::opt::kFollow, QStringLiteral("site-x"));
        dialog->accept();
        EXPECT_TRUE(dashboard.window->reopenRequested());
        EXPECT_TRUE(test::waitUntil([&] { return !dashboard.window->isVisible(); }, 5000));
    }
    test::Dashboard reopened(broker.url(), dir.path());
    ASSERT_TRUE(reopened.parsed);
    ASSERT_NE(reopened.components->follower, nullptr);
    EXPECT_TRUE(ledgerSourceText(reopened).startsWith(QStringLiteral("Following processor site-x")))
        << qPrintable(ledgerSourceText(reopened));
    EXPECT_FALSE(reopened.window->reopenRequested());
}

TEST(GuiFollow, AnInvalidProcessorNameIsRefused)
{
    const test::ProcessResult r =
        test::run(test::binary(QStringLiteral("greenpulse")),
                  {QStringLiteral("--follow"), QStringLiteral("site/a"), QStringLiteral("--config"),
                   QStringLiteral("/dev/null")},
                  30000, {QStringLiteral("QT_QPA_PLATFORM=offscreen")});
    EXPECT_EQ(r.exitCode, 2) << r.err.constData();
    EXPECT_TRUE(r.err.contains("--follow")) << r.err.constData();
}
