// The processor's state file through faults: a full disk keeps the previous good file (and the
// totals in it) and is reported once, not per attempt; an unreadable file is set aside; files are
// private (0600 in 0700 folders).
#include "LogCapture.h"
#include "Samples.h"
#include "TestSupport.h"
#include "TmpfsMount.h"
#include "influx/InfluxWriter.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

struct Fixture
{
    ManualClock clock{kT0 + 200LL * 1'000'000'000LL};
    Ledger ledger{LedgerConfig{}, clock};
    MosquittoClient mqtt{MqttOptions{}}; // never connected: messages are fed directly
};

void feedPower(Processor &p, int from, int to, double watts)
{
    for (int t = from; t <= to; ++t) {
        p.handleMessage(QByteArray(topics::kPower), powerJson("h", t, watts));
    }
}

QStringList leftovers(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.tmp"), QStringLiteral("*.unreadable-*")},
                               QDir::Files | QDir::Hidden);
}

int modeOf(const QString &path)
{
    struct stat st
    {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

} // namespace

TEST(StateFile, AFullDiskKeepsThePreviousStateFileAndItsTotals)
{
    TmpfsMount disk(256 * 1024);
    if (!disk.isMounted()) {
        GTEST_SKIP() << disk.error().toStdString();
    }
    ProcessorOptions options;
    options.stateFile = disk.filePath(QStringLiteral("ledger.json"));
    double savedKwh = 0;
    {
        Fixture f;
        Processor processor(f.ledger, f.mqtt, f.clock, options);
        ASSERT_TRUE(processor.start());
        processor.handleMessage(QByteArray(topics::kControl),
                                controlJson(JobStatus::Start, "J", 0));
        feedPower(processor, 0, 50, 720);
        ASSERT_TRUE(processor.saveState());
        savedKwh = f.ledger.job(QStringLiteral("J"))->kwh;
        ASSERT_GT(savedKwh, 0);

        ASSERT_TRUE(disk.fill());
        feedPower(processor, 51, 100, 720);
        QString error;
        EXPECT_FALSE(processor.saveState(&error));
        EXPECT_FALSE(error.isEmpty());
        processor.stop(); // tries once more: still full
    }
    EXPECT_TRUE(leftovers(disk.path()).isEmpty())
        << leftovers(disk.path()).join(QLatin1Char(' ')).toStdString();

    // The next start resumes from the last good file, not from zero.
    Fixture g;
    Processor again(g.ledger, g.mqtt, g.clock, options);
    ASSERT_TRUE(again.start());
    const auto job = g.ledger.job(QStringLiteral("J"));
    ASSERT_TRUE(job) << "the ledger started from zero";
    EXPECT_NEAR(job->kwh, savedKwh, 1e-12);
    EXPECT_TRUE(leftovers(disk.path()).isEmpty())
        << leftovers(disk.path()).join(QLatin1Char(' ')).toStdString();
    again.stop();
}

TEST(StateFile, SaveFailuresAreLoggedOncePerChangeAndShownInCountersAndSnapshot)
{
    TmpfsMount disk(256 * 1024);
    if (!disk.isMounted()) {
        GTEST_SKIP() << disk.error().toStdString();
    }
    ProcessorOptions options;
    options.stateFile = disk.filePath(QStringLiteral("ledger.json"));
    options.snapshotIntervalMs = 10;
    Fixture f;
    Processor processor(f.ledger, f.mqtt, f.clock, options);
    ASSERT_TRUE(processor.start());
    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::Start, "J", 0));
    feedPower(processor, 0, 10, 500);
    ASSERT_TRUE(processor.saveState());

    LogCapture log;
    ASSERT_TRUE(disk.fill());
    for (int i = 0; i < 5; ++i) {
        feedPower(processor, 11 + i, 11 + i, 500);
        EXPECT_FALSE(processor.saveState());
    }
    EXPECT_EQ(LogCapture::count(QStringLiteral("cannot save the state file")), 1);
    EXPECT_EQ(processor.countersJson().value(QLatin1String("state_save_failures")).toInt(), 5);
    EXPECT_TRUE(processor.countersJson()
                    .value(QLatin1String("state_save_error"))
                    .toString()
                    .contains(QLatin1String("No space left")));
    spin(100);
    EXPECT_EQ(processor.snapshot()->stateSaveFailures, 5u);
    EXPECT_TRUE(processor.snapshot()->stateSaveError.contains(QLatin1String("No space left")));

    disk.unfill();
    EXPECT_TRUE(processor.saveState());
    EXPECT_EQ(LogCapture::count(QStringLiteral("saved again after 5 failed saves")), 1);
    spin(100);
    EXPECT_TRUE(processor.snapshot()->stateSaveError.isEmpty());
    EXPECT_EQ(processor.snapshot()->stateSaveFailures, 5u);
    EXPECT_FALSE(processor.countersJson().contains(QLatin1String("state_save_error")));
    processor.stop();
}

TEST(StateFile, StateJournalAndSpoolArePrivateFilesInPrivateFolders)
{
    QTemporaryDir dir;
    const mode_t oldMask = ::umask(022); // what a shell outside systemd usually has
    ProcessorOptions options;
    options.stateFile = dir.filePath(QStringLiteral("state/sub/ledger.json"));
    {
        Fixture f;
        Processor processor(f.ledger, f.mqtt, f.clock, options);
        ASSERT_TRUE(processor.start());
        processor.handleMessage(QByteArray(topics::kControl),
                                controlJson(JobStatus::Start, "J", 0));
        spin(50); // the journal's sync
        EXPECT_EQ(modeOf(options.stateFile + QStringLiteral(".journal")), 0600);
        processor.stop();
    }
    EXPECT_EQ(modeOf(options.stateFile), 0600);
    EXPECT_EQ(modeOf(dir.filePath(QStringLiteral("state/sub"))), 0700);
    EXPECT_EQ(modeOf(dir.filePath(QStringLiteral("state"))), 0700);

    InfluxOptions influx;
    influx.url = QStringLiteral("http://127.0.0.1:%1").arg(freePort()); // nothing listens
    influx.spoolDir = dir.filePath(QStringLiteral("spool"));
    {
        InfluxWriter writer(influx);
        writer.setRetryBackoff(60000, 60000);
        writer.start();
        writer.writeLine("m v=1 1");
        writer.flush();
        const QStringList batches =
            QDir(influx.spoolDir).entryList({QStringLiteral("*.lp")}, QDir::Files);
        ASSERT_EQ(batches.size(), 1);
        EXPECT_EQ(modeOf(influx.spoolDir + QLatin1Char('/') + batches.first()), 0600);
    }
    EXPECT_EQ(modeOf(influx.spoolDir), 0700);
    ::umask(oldMask);
}

TEST(StateFile, TheJournalKeepsWhoStartedAJobSoAReplayedJobKeepsItsOwner)
{
    QTemporaryDir dir;
    ProcessorOptions options;
    options.stateFile = dir.filePath(QStringLiteral("ledger.json"));
    options.subscribe = false;
    const QByteArray alice = topics::control(ControlOrigin::forUser(QStringLiteral("alice")));
    const QByteArray bob = topics::control(ControlOrigin::forUser(QStringLiteral("bob")));
    {
        Fixture f;
        Processor processor(f.ledger, f.mqtt, f.clock, options);
        ASSERT_TRUE(processor.start());
        processor.handleMessage(alice, controlJson(JobStatus::Start, "A", 0));
        spin(10); // journaled, never saved: as after a kill -9
    }
    Fixture g;
    Processor again(g.ledger, g.mqtt, g.clock, options);
    ASSERT_TRUE(again.start());
    EXPECT_EQ(g.ledger.jobOwner(QStringLiteral("A")),
              ControlOrigin::forUser(QStringLiteral("alice")));
    again.handleMessage(bob, controlJson(JobStatus::End, "A", 5)); // not bob's job
    ASSERT_TRUE(g.ledger.job(QStringLiteral("A")).has_value());
    EXPECT_TRUE(g.ledger.job(QStringLiteral("A"))->running);
}

TEST(StateFile, TheJournalReplaysControlsAfterTheLastSaveOnceAndSkipsATornLine)
{
    QTemporaryDir dir;
    ProcessorOptions options;
    options.stateFile = dir.filePath(QStringLiteral("ledger.json"));
    options.subscribe = false;
    {
        Fixture f;
        Processor processor(f.ledger, f.mqtt, f.clock, options);
        ASSERT_TRUE(processor.start());
        processor.handleMessage(QByteArray(topics::kControl),
                                controlJson(JobStatus::Start, "A", 0));
        feedPower(processor, 0, 10, 100);
        ASSERT_TRUE(processor.saveState()); // A's start is in the state file now
        processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::End, "A", 5));
        processor.handleMessage(QByteArray(topics::kControl),
                                controlJson(JobStatus::Start, "B", 6));
        // No stop(), no save: as after a kill -9.
    }
    QFile journal(options.stateFile + QStringLiteral(".journal"));
    ASSERT_TRUE(journal.open(QIODevice::Append));
    journal.write("{\"n\":\"99\",\"status\":\"end\",\"jo"); // torn by the crash
    journal.close();
    for (int restart = 0; restart < 2; ++restart) { // replaying twice changes nothing
        Fixture g;
        Processor again(g.ledger, g.mqtt, g.clock, options);
        ASSERT_TRUE(again.start());
        const auto a = g.ledger.job(QStringLiteral("A"));
        const auto b = g.ledger.job(QStringLiteral("B"));
        ASSERT_TRUE(a && b);
        EXPECT_FALSE(a->running);
        EXPECT_EQ(a->endNs, kT0 + 5'000'000'000LL);
        EXPECT_TRUE(b->running);
        EXPECT_EQ(b->startNs, kT0 + 6'000'000'000LL);
        if (restart == 0) { // a record after the torn line is read back whole
            again.handleMessage(QByteArray(topics::kControl),
                                controlJson(JobStatus::Start, "C", 7));
            spin(10);
        } else {
            EXPECT_TRUE(g.ledger.job(QStringLiteral("C")).has_value());
            again.stop(); // saved: the journal is empty again
            EXPECT_EQ(QFileInfo(journal.fileName()).size(), 0);
        }
    }
}
