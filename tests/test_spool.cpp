// core/influx/Spool, the InfluxDB writer's batches on disk: a crash between write and rename loses
// nothing that was acknowledged, trim() never drops the batch in flight, a damaged batch file is
// logged and counted (and of a file cut short the complete lines are still sent), files are
// private. The last test runs the writer on a damaged spool against FakeHttpServer.
#include "FakeHttpServer.h"
#include "LogCapture.h"
#include "TestSupport.h"
#include "influx/InfluxWriter.h"
#include "influx/Spool.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace greenpulse;
using core::Spool;
using test::LogCapture;

namespace {

QByteArray linesFrom(const char *name, int from, int count)
{
    QByteArray body;
    for (int i = from; i < from + count; ++i) {
        body += QStringLiteral("%1,host=gpu-01 seq=%2i %3\n")
                    .arg(QLatin1String(name))
                    .arg(i)
                    .arg(1700000000000000000LL + qint64(i) * 1000000000LL)
                    .toUtf8();
    }
    return body;
}

QStringList batchFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*_*.lp")}, QDir::Files, QDir::Name);
}

QString batchName(quint64 seq, int lines)
{
    return QStringLiteral("%1_%2.lp").arg(seq, 20, 10, QLatin1Char('0')).arg(lines);
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

int modeOf(const QString &path)
{
    struct stat st
    {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

// The bodies of a freshly opened spool (nothing in memory: everything read from the files).
QList<QByteArray> bodies(Spool &spool)
{
    QList<QByteArray> out;
    Spool::Batch batch;
    QByteArray body;
    while (!spool.isEmpty()) {
        batch = spool.head();
        if (!spool.read(&batch, &body)) {
            break;
        }
        out.append(body);
        spool.remove(batch.seq);
    }
    return out;
}

} // namespace

TEST(Spool, BatchesArePrivateFilesInAPrivateFolderNamedBySequenceAndLines)
{
    QTemporaryDir root;
    const mode_t oldMask = ::umask(022);
    const QString dir = root.filePath(QStringLiteral("spool/sub"));
    Spool spool;
    QString error;
    ASSERT_TRUE(spool.open(dir, &error)) << error.toStdString();
    ASSERT_TRUE(spool.append(linesFrom("m", 0, 3), 3, &error)) << error.toStdString();
    ASSERT_TRUE(spool.append(linesFrom("m", 3, 2), 2, &error)) << error.toStdString();
    EXPECT_EQ(batchFiles(dir), QStringList({batchName(1, 3), batchName(2, 2)}));
    EXPECT_EQ(modeOf(dir), 0700);
    EXPECT_EQ(modeOf(dir + QLatin1Char('/') + batchName(1, 3)), 0600);
    EXPECT_EQ(spool.lines(), 5u);
    EXPECT_EQ(spool.bytes(), linesFrom("m", 0, 5).size());

    // A refused batch goes to rejected.lp (0600 too) and leaves the spool.
    Spool::Batch head = spool.head();
    QByteArray body;
    ASSERT_TRUE(spool.read(&head, &body));
    ASSERT_TRUE(spool.reject(head, body, &error)) << error.toStdString();
    EXPECT_EQ(modeOf(spool.rejectedPath()), 0600);
    QFile rejected(spool.rejectedPath());
    ASSERT_TRUE(rejected.open(QIODevice::ReadOnly));
    EXPECT_EQ(rejected.readAll(), linesFrom("m", 0, 3));
    EXPECT_EQ(batchFiles(dir), QStringList({batchName(2, 2)}));
    EXPECT_EQ(spool.lines(), 2u);
    ::umask(oldMask);
}

// A kill -9 between the write of "<name>.tmp" and its rename: the batch was never acknowledged as
// spooled (append() had not returned), so the temp file is deleted at the next start, and every
// batch that was acknowledged is there, whole and in order; numbering continues after them.
TEST(Spool, ACrashBetweenWriteAndRenameLosesNothingAcknowledged)
{
    QTemporaryDir dir;
    QString error;
    {
        Spool spool;
        ASSERT_TRUE(spool.open(dir.path(), &error));
        for (int b = 0; b < 3; ++b) {
            ASSERT_TRUE(spool.append(linesFrom("crash", b * 10, 10), 10, &error));
        }
    }
    // What the crash left: the next batch, written in part and never renamed.
    const QString temp = dir.filePath(batchName(4, 10) + QStringLiteral(".tmp"));
    ASSERT_TRUE(writeFile(temp, linesFrom("crash", 30, 10).left(100)));

    LogCapture log;
    Spool spool;
    ASSERT_TRUE(spool.open(dir.path(), &error));
    EXPECT_FALSE(QFile::exists(temp));
    EXPECT_EQ(LogCapture::count(QStringLiteral("Deleting incomplete spool file")), 1);
    EXPECT_EQ(spool.batchCount(), 3);
    EXPECT_EQ(spool.lines(), 30u);
    EXPECT_EQ(spool.takeLostLines(), 0u); // nothing acknowledged was lost
    ASSERT_TRUE(spool.append(linesFrom("crash", 30, 10), 10, &error));
    EXPECT_EQ(batchFiles(dir.path()).last(), batchName(4, 10));

    Spool reopened;
    ASSERT_TRUE(reopened.open(dir.path(), &error));
    EXPECT_EQ(bodies(reopened),
              QList<QByteArray>({linesFrom("crash", 0, 10), linesFrom("crash", 10, 10),
                                 linesFrom("crash", 20, 10), linesFrom("crash", 30, 10)}));
    EXPECT_TRUE(batchFiles(dir.path()).isEmpty());
}

// Over its bound the spool drops its oldest batches, but never the one in flight (its answer may
// be on the way) nor the newest.
TEST(Spool, TrimKeepsTheBatchInFlightAndTheNewest)
{
    QTemporaryDir dir;
    QString error;
    Spool spool;
    ASSERT_TRUE(spool.open(dir.path(), &error));
    for (int b = 0; b < 5; ++b) {
        ASSERT_TRUE(spool.append(linesFrom("trim", 100 + b * 4, 4), 4, &error));
    }
    const qint64 batchBytes = linesFrom("trim", 100, 4).size(); // the same for every batch
    ASSERT_EQ(spool.bytes(), 5 * batchBytes);

    // Batch 1 is in flight: 2, 3 and 4 go, oldest first, until the rest fits.
    EXPECT_EQ(spool.trim(2 * batchBytes + batchBytes / 2, 1), 12u);
    EXPECT_EQ(batchFiles(dir.path()), QStringList({batchName(1, 4), batchName(5, 4)}));
    EXPECT_EQ(spool.head().seq, 1u);
    EXPECT_EQ(spool.lines(), 8u);
    EXPECT_EQ(spool.bytes(), 2 * batchBytes);

    // Still over a smaller bound, but only the batch in flight and the newest are left: kept.
    EXPECT_EQ(spool.trim(batchBytes / 2, 1), 0u);
    EXPECT_EQ(spool.batchCount(), 2);

    // Nothing in flight: the oldest goes.
    EXPECT_EQ(spool.trim(batchBytes, 0), 4u);
    EXPECT_EQ(batchFiles(dir.path()), QStringList({batchName(5, 4)}));

    // The newest alone is kept even when it alone is larger than the bound.
    EXPECT_EQ(spool.trim(1, 0), 0u);
    EXPECT_EQ(spool.batchCount(), 1);
}

// An empty batch file (its data never reached the disk, though its rename did) holds nothing to
// send: it is deleted, and the points its name promised are logged and counted as lost.
TEST(Spool, AnEmptyBatchFileIsCountedAsLostAndDeleted)
{
    QTemporaryDir dir;
    QString error;
    ASSERT_TRUE(writeFile(dir.filePath(batchName(7, 12)), {}));
    ASSERT_TRUE(writeFile(dir.filePath(batchName(8, 2)), linesFrom("m", 0, 2)));
    LogCapture log;
    Spool spool;
    ASSERT_TRUE(spool.open(dir.path(), &error));
    EXPECT_EQ(spool.batchCount(), 1);
    EXPECT_EQ(spool.lines(), 2u);
    EXPECT_EQ(spool.takeLostLines(), 12u);
    EXPECT_EQ(spool.takeLostLines(), 0u); // taken once
    EXPECT_EQ(LogCapture::count(QStringLiteral("is empty")), 1);
    EXPECT_EQ(batchFiles(dir.path()), QStringList({batchName(8, 2)}));
    ASSERT_TRUE(spool.append(linesFrom("m", 2, 1), 1, &error));
    EXPECT_EQ(batchFiles(dir.path()).last(), batchName(9, 1)); // numbers are not reused
}

// A batch file cut short: the complete lines are sent (a line cut in two could still parse, with a
// wrong value or without its timestamp, so it is not), the missing ones are logged and counted,
// and the file (under its original name) is still removed once the batch is acknowledged.
TEST(Spool, ABatchFileCutShortGivesItsCompleteLinesAndCountsTheRest)
{
    QTemporaryDir dir;
    QString error;
    const QByteArray whole = linesFrom("cut", 0, 10);
    const QByteArray complete = linesFrom("cut", 0, 6);
    {
        Spool spool;
        ASSERT_TRUE(spool.open(dir.path(), &error));
        ASSERT_TRUE(spool.append(whole, 10, &error));
        ASSERT_TRUE(spool.append(linesFrom("after", 0, 3), 3, &error));
    }
    QFile file(dir.filePath(batchName(1, 10)));
    ASSERT_TRUE(file.resize(complete.size() + 20)); // into the 7th line

    LogCapture log;
    Spool spool;
    ASSERT_TRUE(spool.open(dir.path(), &error));
    EXPECT_EQ(spool.lines(), 13u); // what the names say, before anything is read
    Spool::Batch batch = spool.head();
    QByteArray body;
    ASSERT_TRUE(spool.read(&batch, &body));
    EXPECT_EQ(body, complete);
    EXPECT_EQ(batch.lines, 6);
    EXPECT_EQ(spool.head().lines, 6);
    EXPECT_EQ(spool.lines(), 9u);
    EXPECT_EQ(spool.takeLostLines(), 4u);
    EXPECT_EQ(LogCapture::count(QStringLiteral("6 of its 10 points are complete")), 1);

    spool.remove(batch.seq); // acknowledged
    EXPECT_EQ(batchFiles(dir.path()), QStringList({batchName(2, 3)}));
    EXPECT_EQ(spool.lines(), 3u);
    EXPECT_EQ(bodies(spool), QList<QByteArray>({linesFrom("after", 0, 3)}));
}

// No complete line, or the file gone: unreadable. The caller (InfluxWriter) drops and counts the
// whole batch; the spool does not count it a second time.
TEST(Spool, ABatchWithoutACompleteLineOrWithoutItsFileIsUnreadable)
{
    QTemporaryDir dir;
    QString error;
    ASSERT_TRUE(writeFile(dir.filePath(batchName(1, 5)), "cut,host=gpu-01 seq=1i 17000"));
    ASSERT_TRUE(writeFile(dir.filePath(batchName(2, 2)), linesFrom("m", 0, 2)));
    Spool spool;
    ASSERT_TRUE(spool.open(dir.path(), &error));
    Spool::Batch batch = spool.head();
    QByteArray body;
    EXPECT_FALSE(spool.read(&batch, &body));
    EXPECT_EQ(batch.lines, 5);
    EXPECT_EQ(spool.takeLostLines(), 0u);
    spool.remove(batch.seq);

    batch = spool.head();
    ASSERT_TRUE(QFile::remove(dir.filePath(batchName(2, 2))));
    EXPECT_FALSE(spool.read(&batch, &body));
    EXPECT_EQ(spool.takeLostLines(), 0u);
}

// The writer on a damaged spool: the empty batch and the lines missing from the cut one are
// counted as dropped, the complete lines and the intact batch are written, nothing stays behind.
TEST(SpoolInWriter, ADamagedSpoolIsSentAsFarAsItIsCompleteAndTheRestIsCounted)
{
    QTemporaryDir dir;
    const QByteArray cut = linesFrom("cut", 0, 10);
    ASSERT_TRUE(writeFile(dir.filePath(batchName(1, 3)), {}));
    ASSERT_TRUE(
        writeFile(dir.filePath(batchName(2, 10)), cut.left(linesFrom("cut", 0, 6).size() + 20)));
    ASSERT_TRUE(writeFile(dir.filePath(batchName(3, 5)), linesFrom("good", 0, 5)));
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    core::InfluxOptions options;
    options.url = http.url();
    options.spoolDir = dir.path();
    options.flushIntervalMs = 100;
    LogCapture log;
    core::InfluxWriter writer(options);
    writer.start();
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsQueued == 0; }, 10000));
    const core::InfluxStatus s = writer.status();
    EXPECT_EQ(s.pointsWritten, 11u);
    EXPECT_EQ(s.pointsDropped, 3u + 4u);
    ASSERT_EQ(http.requestCount(), 2);
    EXPECT_EQ(http.requests()[0].body, linesFrom("cut", 0, 6));
    EXPECT_EQ(http.requests()[1].body, linesFrom("good", 0, 5));
    EXPECT_TRUE(batchFiles(dir.path()).isEmpty());
}
