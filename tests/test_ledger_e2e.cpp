// The ledger's fault rules end to end: a real mosquitto, the real greenpulse-processor, messages
// published by the test (lost sequence numbers, skewed clocks, a flood of new names).
#include "ProcessorStack.h"
#include "Samples.h"
#include "TestSupport.h"
#include "mqtt/MosquittoClient.h"
#include "protocol/Protocol.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <csignal>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

// The processor's stack, and a way to know it has taken everything published.
struct Stack : ProcessorStack
{
    bool start(const QStringList &extraArgs = {})
    {
        return ProcessorStack::start(QStringLiteral("ledger-e2e"), extraArgs);
    }
    // Waits until the processor has taken every message the broker had for it: its received
    // count (SIGHUP counters) stops moving.
    void settle()
    {
        qint64 last = -1;
        for (int i = 0; i < 60; ++i) {
            ::kill(static_cast<pid_t>(processor.pid()), SIGHUP);
            spin(500);
            const QByteArray err = processor.readStderr();
            const qsizetype at = err.lastIndexOf("\"received\":");
            const qint64 received =
                at < 0 ? -2 : err.mid(at + 11, 20).split(',').first().toLongLong();
            if (received == last) {
                return;
            }
            last = received;
        }
    }
};

} // namespace

TEST(LedgerEndToEnd, LostSequenceNumbersAndSkewedClocksThroughTheProcessor)
{
    Stack stack;
    ASSERT_TRUE(stack.start());
    const QString job = QStringLiteral("skewed-job");
    const QString behind = QStringLiteral("behind"); // its clock runs 2 h late
    const QString ahead = QStringLiteral("ahead");   // one sample 30 s early
    stack.publish(topics::kControl, encode(controlAt(JobStatus::Start, job, behind, nowNs())));
    spin(200);
    quint64 seq = 0;
    for (int i = 0; i < 30; ++i) {
        seq += i == 15 ? 3 : 1; // two samples "dropped by the broker"
        stack.publish(topics::kPower,
                      encode(powerAt(behind, 600, nowNs() - 7200LL * 1'000'000'000, {}, seq)));
        const TimeNs t = nowNs() + (i == 5 ? 30LL * 1'000'000'000 : 0);
        stack.publish(topics::kPower, encode(powerAt(ahead, 100, t)));
        spin(100);
    }
    stack.publish(topics::kControl, encode(controlAt(JobStatus::End, job, behind, nowNs())));
    spin(200);
    stack.settle();
    const QJsonObject out = stack.stop();
    const QJsonObject ledger = out[QLatin1String("counters")][QLatin1String("ledger")].toObject();

    const QJsonObject j = jobIn(out, job);
    ASSERT_FALSE(j.isEmpty()) << QJsonDocument(out).toJson().toStdString();
    // Re-stamped with receipt times, the host's samples fall inside the job: 600 W over the
    // covered time, which lacks the interval with the lost samples.
    const double covered = j[QLatin1String("covered_s")].toDouble();
    EXPECT_GT(covered, 2.0);
    EXPECT_NEAR(j[QLatin1String("kwh")].toDouble(), 600 * covered / 3.6e6, 1e-9);
    EXPECT_GT(j[QLatin1String("uncovered_s")].toDouble(), 0.0);
    EXPECT_LT(j[QLatin1String("coverage")].toDouble(), 1.0);
    EXPECT_EQ(ledger[QLatin1String("missing_samples")].toInt(), 2);
    EXPECT_GE(ledger[QLatin1String("clock_skew")].toInt(), 31); // 30 late ones + 1 early one
    EXPECT_EQ(ledger[QLatin1String("out_of_order")].toInt(), 0);
    EXPECT_EQ(ledger[QLatin1String("from_future")].toInt(), 0);
    const QJsonObject hosts = out[QLatin1String("counters")][QLatin1String("hosts")].toObject();
    EXPECT_NEAR(hosts[behind][QLatin1String("clock_offset_s")].toDouble(), -7200, 5);
    EXPECT_EQ(hosts[behind][QLatin1String("missing_samples")].toInt(), 2);
    EXPECT_EQ(hosts[ahead][QLatin1String("clock_skew")].toInt(), 1);
}

TEST(LedgerEndToEnd, AFloodOfNewNamesLeavesARealJobExactAndMemoryBounded)
{
    const QString mosquittoPub = findExecutable(QStringLiteral("mosquitto_pub"));
    ASSERT_FALSE(mosquittoPub.isEmpty());
    Stack stack;
    ASSERT_TRUE(stack.start());
    const QString job = QStringLiteral("real-job");
    const QString host = QStringLiteral("real-host");

    // 100,000 power samples, each with a new host name and a new job id: 200,000 new ids.
    QFile flood(stack.dir.filePath(QStringLiteral("flood.txt")));
    ASSERT_TRUE(flood.open(QIODevice::WriteOnly));
    for (int i = 0; i < 100'000; ++i) {
        flood.write(
            QStringLiteral(R"({"host":"flood-%1","watts":5,"job_id":"fj-%1"})").arg(i).toLatin1() +
            '\n');
    }
    flood.close();

    stack.publish(topics::kControl, encode(controlAt(JobStatus::Start, job, host, nowNs())));
    spin(200);
    QProcess pub;
    pub.setStandardInputFile(flood.fileName());
    pub.start(mosquittoPub, {QStringLiteral("-p"), QString::number(stack.broker.port()),
                             QStringLiteral("-t"), QLatin1String(topics::kPower),
                             QStringLiteral("-q"), QStringLiteral("0"), QStringLiteral("-l")});
    TimeNs first = 0;
    TimeNs last = 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 20'000 || pub.state() != QProcess::NotRunning) {
        last = nowNs();
        first = first ? first : last;
        stack.publish(topics::kPower, encode(powerAt(host, 1000, last)));
        spin(100);
        if (timer.elapsed() > 60'000) {
            break;
        }
    }
    EXPECT_EQ(pub.state(), QProcess::NotRunning) << "the flood took over a minute";
    pub.waitForFinished(5000);
    spin(200);
    stack.publish(topics::kControl, encode(controlAt(JobStatus::End, job, host, nowNs())));
    stack.settle();

    QFile status(QStringLiteral("/proc/%1/status").arg(stack.processor.pid()));
    ASSERT_TRUE(status.open(QIODevice::ReadOnly));
    const QByteArray text = status.readAll();
    const qsizetype at = text.indexOf("VmHWM:");
    ASSERT_GE(at, 0);
    const qint64 peakKb = text.mid(at + 6, 20).trimmed().split(' ').first().toLongLong();
    const QJsonObject out = stack.stop();

    const double truth = 1000.0 * static_cast<double>(last - first) / 1e9 / 3.6e6;
    const QJsonObject j = jobIn(out, job);
    ASSERT_FALSE(j.isEmpty());
    EXPECT_NEAR(j[QLatin1String("kwh")].toDouble(), truth, truth * 0.01);
    EXPECT_LT(peakKb, 300 * 1024) << "peak RSS " << peakKb << " kB";
    ::testing::Test::RecordProperty("processor_peak_rss_kb", static_cast<int>(peakKb));
    const QJsonObject reasons =
        out[QLatin1String("counters")][QLatin1String("by_reason")].toObject();
    EXPECT_GT(reasons[QLatin1String("id_rate_limited")].toInt(), 90'000);
    EXPECT_LT(out[QLatin1String("jobs")].toArray().size(), 1000);
}
