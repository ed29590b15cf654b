// InfluxWriter against real servers (influxd 1.6 for the v1 API, VictoriaMetrics for the v2 API)
// and, for error statuses a real server cannot be made to answer on demand, FakeHttpServer.
#include "FakeHttpServer.h"
#include "InfluxServer.h"
#include "LogCapture.h"
#include "TestSupport.h"
#include "influx/InfluxRequests.h"
#include "influx/InfluxWriter.h"
#include "influx/LineProtocol.h"
#include "influx/Spool.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QThread>
#include <QTimeZone>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse;
using core::InfluxOptions;
using core::InfluxStatus;
using core::InfluxWriter;
using core::lineprotocol::Point;
using test::LogCapture;

namespace {

QList<QByteArray> batchFiles(const QString &dir)
{
    QList<QByteArray> out;
    for (const QString &name :
         QDir(dir).entryList({QStringLiteral("*_*.lp")}, QDir::Files, QDir::Name)) {
        out.append(name.toUtf8());
    }
    return out;
}

QByteArray joined(const QList<QByteArray> &lines)
{
    QByteArray out;
    for (const QByteArray &line : lines) {
        out += line + '\n';
    }
    return out;
}

QList<QByteArray> numberedLines(const char *measurement, int from, int count)
{
    QList<QByteArray> lines;
    for (int i = from; i < from + count; ++i) {
        lines.append(Point(QString::fromLatin1(measurement))
                         .tag(u"host", u"gpu-01")
                         .field(u"seq", qint64(i))
                         .timestamp(1700000000000000000LL + qint64(i) * 1000000000LL)
                         .toLine());
    }
    return lines;
}

// InfluxDB's RFC 3339 rendering of a nanosecond timestamp (trailing zeros trimmed).
QString rfc3339(qint64 ns)
{
    const QDateTime t = QDateTime::fromSecsSinceEpoch(ns / 1000000000LL, QTimeZone::utc());
    QString fraction = QStringLiteral("%1").arg(ns % 1000000000LL, 9, 10, QLatin1Char('0'));
    while (fraction.endsWith(QLatin1Char('0'))) {
        fraction.chop(1);
    }
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) +
           (fraction.isEmpty() ? QString() : QLatin1Char('.') + fraction) + QLatin1Char('Z');
}

struct Fixture
{
    QTemporaryDir spool;
    InfluxOptions options;

    Fixture(const QString &url, InfluxOptions::Api api)
    {
        options.url = url;
        options.api = api;
        options.spoolDir = spool.path();
        options.flushIntervalMs = 100;
    }
};

bool stateSeen(const QList<InfluxStatus> &seen, InfluxStatus::State state)
{
    for (const InfluxStatus &s : seen) {
        if (s.state == state) {
            return true;
        }
    }
    return false;
}

} // namespace

// ----------------------------------------------------------------------------- real servers --

TEST(InfluxWriterV1, PointsReadBackEqualWhatWasWrittenAndDatabaseIsCreated)
{
    test::InfluxServer server;
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    Fixture f(server.url(), InfluxOptions::Api::V1);
    f.options.database = QStringLiteral("gp test");
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(100, 1000);
    writer.start();

    const qint64 base = 1700000000123456789LL;
    const QString label = QStringLiteral("hot, \"quoted\" = C:\\path");
    QList<QByteArray> lines;
    for (int i = 0; i < 10; ++i) {
        lines.append(Point(u"job energy")
                         .tag(u"host", u"gpu 01,a=b")
                         .tag(u"job", u"train \"llm\"")
                         .tag(u"path", u"C:\\jobs\\x")
                         .field(u"kwh", 0.1 * i + 1.0 / 3.0)
                         .field(u"joules", qint64(123456789012) + i)
                         .field(u"label", QStringView(label))
                         .field(u"ok", i % 2 == 0)
                         .timestamp(base + qint64(i) * 1000000000LL)
                         .toLine());
    }
    writer.writeLines(lines);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 10; }, 30000))
        << writer.status().lastError.toStdString();

    const auto rows = server.rows(QStringLiteral("SELECT * FROM \"job energy\""),
                                  QStringLiteral("gp test"), QString());
    ASSERT_EQ(rows.size(), 10);
    for (int i = 0; i < 10; ++i) {
        const QJsonObject &row = rows[i];
        EXPECT_EQ(row.value(QStringLiteral("time")).toString(), rfc3339(base + i * 1000000000LL));
        EXPECT_EQ(row.value(QStringLiteral("kwh")).toDouble(), 0.1 * i + 1.0 / 3.0);
        EXPECT_EQ(qint64(row.value(QStringLiteral("joules")).toDouble()), 123456789012LL + i);
        EXPECT_EQ(row.value(QStringLiteral("label")).toString(), label);
        EXPECT_EQ(row.value(QStringLiteral("ok")).toBool(), i % 2 == 0);
        EXPECT_EQ(row.value(QStringLiteral("host")).toString(), QStringLiteral("gpu 01,a=b"));
        EXPECT_EQ(row.value(QStringLiteral("job")).toString(), QStringLiteral("train \"llm\""));
        EXPECT_EQ(row.value(QStringLiteral("path")).toString(), QStringLiteral("C:\\jobs\\x"));
    }
    const InfluxStatus status = writer.status();
    EXPECT_EQ(status.state, InfluxStatus::State::Writing);
    EXPECT_EQ(status.pointsQueued, 0u);
    EXPECT_EQ(status.spoolBytes, 0);
    EXPECT_TRUE(batchFiles(f.spool.path()).isEmpty());
}

TEST(InfluxWriterV2, WritesArriveInVictoriaMetrics)
{
    test::VictoriaMetricsServer server;
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    Fixture f(server.url(), InfluxOptions::Api::V2);
    f.options.org = QStringLiteral("greenpulse");
    f.options.bucket = QStringLiteral("metrics");
    f.options.token = QStringLiteral("not-checked-by-vm");
    InfluxWriter writer(f.options);
    writer.start();

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000 - 60000;
    QList<QByteArray> lines;
    for (int i = 0; i < 5; ++i) {
        lines.append(Point(u"gpu_power")
                         .tag(u"host", u"h1")
                         .field(u"watts", 250.5 + i)
                         .timestamp((nowMs + i * 1000) * 1000000LL)
                         .toLine());
    }
    writer.writeLines(lines);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 5; }, 30000))
        << writer.status().lastError.toStdString();

    QList<QJsonObject> series;
    ASSERT_TRUE(test::waitUntil(
        [&] {
            series = server.exportSeries(QStringLiteral("{__name__=\"gpu_power_watts\"}"));
            return series.size() == 1 &&
                   series[0].value(QStringLiteral("values")).toArray().size() == 5;
        },
        30000));
    EXPECT_EQ(series[0]
                  .value(QStringLiteral("metric"))
                  .toObject()
                  .value(QStringLiteral("host"))
                  .toString(),
              QStringLiteral("h1"));
    const QJsonArray values = series[0].value(QStringLiteral("values")).toArray();
    const QJsonArray stamps = series[0].value(QStringLiteral("timestamps")).toArray();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(values[i].toDouble(), 250.5 + i);
        EXPECT_EQ(qint64(stamps[i].toDouble()), nowMs + i * 1000);
    }
}

// The dashboard builds the writer on the GUI thread and moves it to its worker thread: its
// timers must go along, or nothing is ever flushed (Qt: "Timers cannot be started from another
// thread").
TEST(InfluxWriterV1, WritesFromTheThreadItWasMovedTo)
{
    test::InfluxServer server;
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    Fixture f(server.url(), InfluxOptions::Api::V1);
    auto *writer = new InfluxWriter(f.options);
    QThread worker;
    writer->moveToThread(&worker);
    worker.start();
    const qint64 base = 1700000000000000000LL;
    QMetaObject::invokeMethod(writer, [writer, base] {
        writer->start();
        QList<QByteArray> lines;
        for (int i = 0; i < 3; ++i) {
            lines.append(Point(u"threaded").field(u"n", qint64(i)).timestamp(base + i).toLine());
        }
        writer->writeLines(lines); // flushed by the writer's own timer, on the worker thread
    });
    const QString db = f.options.database;
    EXPECT_TRUE(test::waitUntil(
        [&] { return server.rows(QStringLiteral("SELECT * FROM threaded"), db).size() == 3; },
        20000));
    QMetaObject::invokeMethod(
        writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
    worker.quit();
    worker.wait();
}

TEST(InfluxWriterV1, OutageOf20SecondsLosesNothingAndDuplicatesNothing)
{
    test::InfluxServer server;
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    Fixture f(server.url(), InfluxOptions::Api::V1);
    f.options.flushIntervalMs = 200;
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(200, 2000);
    QList<InfluxStatus> seen;
    QObject::connect(&writer, &InfluxWriter::statusChanged,
                     [&](const InfluxStatus &s) { seen.append(s); });
    writer.start();

    int written = 0;
    auto writeFor = [&](int seconds) {
        for (int k = 0; k < seconds; ++k) {
            writer.writeLines(numberedLines("outage", written, 1));
            ++written;
            test::spin(1000);
        }
    };
    writeFor(5);
    server.stop();
    writeFor(20);
    EXPECT_EQ(writer.status().state, InfluxStatus::State::Spooling);
    EXPECT_GT(writer.status().pointsQueued, 10u);
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    writeFor(5);

    ASSERT_TRUE(test::waitUntil(
        [&] {
            const InfluxStatus s = writer.status();
            return s.pointsQueued == 0 && s.pointsWritten == quint64(written);
        },
        30000))
        << writer.status().lastError.toStdString();
    EXPECT_TRUE(stateSeen(seen, InfluxStatus::State::Spooling));
    EXPECT_EQ(writer.status().state, InfluxStatus::State::Writing);
    EXPECT_GT(writer.status().pointsRetried, 0u);

    const auto rows =
        server.rows(QStringLiteral("SELECT seq FROM outage"), QStringLiteral("greenpulse"));
    ASSERT_EQ(rows.size(), written);
    for (int i = 0; i < written; ++i) {
        EXPECT_EQ(rows[i].value(QStringLiteral("seq")).toInt(), i);
    }
}

TEST(InfluxWriterV1, SpoolOfAKilledWriterIsReplayedByTheNextOne)
{
    test::InfluxServer server;
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    server.stop(); // same port and data folder when it comes back
    Fixture f(server.url(), InfluxOptions::Api::V1);
    {
        auto writer = std::make_unique<InfluxWriter>(f.options);
        writer->setRetryBackoff(100, 500);
        writer->start();
        for (int batch = 0; batch < 3; ++batch) {
            writer->writeLines(numberedLines("crash", batch * 10, 10));
            writer->flush();
        }
        ASSERT_TRUE(test::waitUntil(
            [&] { return writer->status().state == InfluxStatus::State::Spooling; }, 10000));
        EXPECT_EQ(writer->status().pointsQueued, 30u);
        EXPECT_EQ(batchFiles(f.spool.path()).size(), 3);
        // What a kill -9 in the middle of spooling leaves: a temp file that was never renamed.
        QFile partial(f.spool.path() + QStringLiteral("/00000000000000000099_10.lp.tmp"));
        ASSERT_TRUE(partial.open(QIODevice::WriteOnly));
        partial.write("crash,host=gpu-01 seq=99");
        partial.close();
        // Destroyed without drain(): nothing acknowledged, everything on disk.
    }
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    InfluxWriter writer(f.options);
    writer.start();
    EXPECT_EQ(writer.status().pointsQueued, 30u);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 30; }, 30000))
        << writer.status().lastError.toStdString();
    EXPECT_FALSE(QFile::exists(f.spool.path() + QStringLiteral("/00000000000000000099_10.lp.tmp")));
    EXPECT_TRUE(batchFiles(f.spool.path()).isEmpty());
    const auto rows =
        server.rows(QStringLiteral("SELECT seq FROM crash"), QStringLiteral("greenpulse"));
    ASSERT_EQ(rows.size(), 30);
    for (int i = 0; i < 30; ++i) {
        EXPECT_EQ(rows[i].value(QStringLiteral("seq")).toInt(), i);
    }
}

// ------------------------------------------------------------ scripted errors (fake server) --

TEST(InfluxWriterFake, V1RequestCarriesQueryBasicAuthAndGzip)
{
    LogCapture log;
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    Fixture f(http.url(), InfluxOptions::Api::V1);
    f.options.database = QStringLiteral("green pulse+db");
    f.options.retentionPolicy = QStringLiteral("autogen");
    f.options.username = QStringLiteral("gp");
    f.options.password = QStringLiteral("pw-secret-123");
    InfluxWriter writer(f.options);
    writer.start();
    const auto lines = numberedLines("v1", 0, 3);
    writer.writeLines(lines);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 3; }, 10000));

    ASSERT_EQ(http.requestCount(), 1);
    const auto &r = http.requests().first();
    EXPECT_EQ(r.method, QByteArray("POST"));
    EXPECT_EQ(r.target, QByteArray("/write?db=green%20pulse%2Bdb&rp=autogen&precision=ns"));
    EXPECT_EQ(r.headers.value("authorization"),
              "Basic " + QByteArray("gp:pw-secret-123").toBase64());
    EXPECT_EQ(r.headers.value("content-encoding"), QByteArray("gzip"));
    EXPECT_TRUE(r.gzipOk);
    EXPECT_EQ(r.body, joined(lines));
    EXPECT_FALSE(log.contains(QStringLiteral("pw-secret-123")));
}

TEST(InfluxWriterFake, V2RequestCarriesOrgBucketTokenAndGzip)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    Fixture f(http.url() + QStringLiteral("/influx/"), InfluxOptions::Api::V2);
    f.options.org = QStringLiteral("my org");
    f.options.bucket = QStringLiteral("gp");
    f.options.token = QStringLiteral("tok-secret-456");
    InfluxWriter writer(f.options);
    writer.start();
    const auto lines = numberedLines("v2", 0, 4);
    writer.writeLines(lines);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 4; }, 10000));

    ASSERT_EQ(http.requestCount(), 1);
    const auto &r = http.requests().first();
    EXPECT_EQ(r.target, QByteArray("/influx/api/v2/write?org=my%20org&bucket=gp&precision=ns"));
    EXPECT_EQ(r.headers.value("authorization"), QByteArray("Token tok-secret-456"));
    EXPECT_EQ(r.headers.value("content-encoding"), QByteArray("gzip"));
    EXPECT_TRUE(r.gzipOk);
    EXPECT_EQ(r.body, joined(lines));
}

TEST(InfluxWriterFake, BadRequestIsSetAsideOnceAndNotRetried)
{
    LogCapture log;
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    http.enqueue(400, R"({"error":"unable to parse 'bad line': missing fields"})");
    Fixture f(http.url(), InfluxOptions::Api::V1);
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(50, 100);
    writer.start();
    const auto refused = numberedLines("bad", 0, 2);
    writer.writeLines(refused);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsRejected == 2; }, 10000));
    test::spin(1000);
    EXPECT_EQ(http.requestCount(), 1);
    EXPECT_EQ(writer.status().pointsQueued, 0u);
    EXPECT_TRUE(writer.status().lastError.contains(QStringLiteral("missing fields")));
    EXPECT_EQ(log.count(QStringLiteral("missing fields")), 1);

    QFile rejected(f.spool.path() + QStringLiteral("/rejected.lp"));
    ASSERT_TRUE(rejected.open(QIODevice::ReadOnly));
    EXPECT_EQ(rejected.readAll(), joined(refused));

    writer.writeLines(numberedLines("good", 0, 1)); // the queue keeps moving
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 1; }, 10000));
    EXPECT_EQ(http.requestCount(), 2);
}

TEST(InfluxWriterFake, UnauthorizedStopsWritingUntilReconfigured)
{
    LogCapture log;
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    http.enqueue(401, R"({"code":"unauthorized","message":"unauthorized access"})");
    Fixture f(http.url(), InfluxOptions::Api::V2);
    f.options.token = QStringLiteral("old-secret-token");
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(50, 100);
    writer.start();
    writer.writeLines(numberedLines("auth", 0, 3));
    ASSERT_TRUE(test::waitUntil(
        [&] { return writer.status().state == InfluxStatus::State::AuthError; }, 10000));
    writer.writeLines(numberedLines("auth", 3, 2));
    test::spin(1500);
    EXPECT_EQ(http.requestCount(), 1);
    EXPECT_EQ(writer.status().pointsQueued, 5u);
    EXPECT_EQ(batchFiles(f.spool.path()).size(), 2);
    EXPECT_FALSE(writer.status().lastError.isEmpty());
    EXPECT_FALSE(writer.status().lastError.contains(QStringLiteral("old-secret-token")));

    InfluxOptions fixed = writer.options();
    fixed.token = QStringLiteral("new-token");
    writer.reconfigure(fixed);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 5; }, 10000));
    EXPECT_EQ(writer.status().state, InfluxStatus::State::Writing);
    EXPECT_EQ(http.requests().last().headers.value("authorization"), QByteArray("Token new-token"));
    EXPECT_FALSE(log.contains(QStringLiteral("old-secret-token")));
    EXPECT_FALSE(log.contains(QStringLiteral("new-token")));
}

TEST(InfluxWriterFake, TooManyRequestsHonoursRetryAfter)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    http.enqueue(429, {}, {{"Retry-After", "1"}});
    Fixture f(http.url(), InfluxOptions::Api::V1);
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(10, 20); // so any wait of a second comes from Retry-After
    writer.start();
    writer.writeLines(numberedLines("busy", 0, 3));
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 3; }, 10000));
    ASSERT_EQ(http.requestCount(), 2);
    EXPECT_GE(http.requests()[1].receivedMs - http.requests()[0].receivedMs, 1000);
    EXPECT_EQ(http.requests()[1].body, http.requests()[0].body);
    EXPECT_EQ(writer.status().pointsRetried, 3u);
}

TEST(InfluxWriterFake, ServiceUnavailableIsRetriedWithBackoff)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    http.enqueue(503, R"({"error":"overloaded"})");
    http.enqueue(503, R"({"error":"overloaded"})");
    Fixture f(http.url(), InfluxOptions::Api::V1);
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(50, 200);
    QList<InfluxStatus> seen;
    QObject::connect(&writer, &InfluxWriter::statusChanged,
                     [&](const InfluxStatus &s) { seen.append(s); });
    writer.start();
    writer.writeLines(numberedLines("unavailable", 0, 4));
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 4; }, 10000));
    EXPECT_EQ(http.requestCount(), 3);
    EXPECT_EQ(writer.status().pointsRetried, 8u);
    EXPECT_TRUE(stateSeen(seen, InfluxStatus::State::Spooling));
    EXPECT_EQ(writer.status().state, InfluxStatus::State::Writing);
    EXPECT_TRUE(writer.status().lastError.isEmpty());
}

// A 5,000-line batch goes out whole, in one request on the kept-alive connection (HttpConnection
// writes it at once with TCP_NODELAY, so a body over 16 KiB no longer waits for a delayed ACK). A
// batch whose request failed is sent again whole; it leaves the spool once acknowledged, and in
// the end every line arrived once, in order, with nothing lost or counted twice.
TEST(InfluxWriterFake, LargeBatchesArePostedWholeAndAFailedBatchIsRetried)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    http.enqueue(204);
    http.enqueue(503, R"({"error":"overloaded"})"); // the second batch, once
    Fixture f(http.url(), InfluxOptions::Api::V1);
    f.options.flushIntervalMs = 60000;
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(50, 200);
    writer.start();
    const QList<QByteArray> lines = numberedLines("whole", 0, 10000); // two batches of 5,000
    writer.writeLines(lines);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 10000; }, 20000))
        << writer.status().lastError.toStdString();
    EXPECT_TRUE(batchFiles(f.spool.path()).isEmpty());
    const QList<test::FakeHttpServer::Request> &requests = http.requests();
    ASSERT_EQ(requests.size(), 3);
    for (const auto &request : requests) {
        EXPECT_TRUE(request.gzipOk);
        EXPECT_GT(request.rawBody.size(), 16 * 1024); // larger than one of Qt's upload pieces
    }
    EXPECT_EQ(requests[0].body, joined(lines.mid(0, 5000)));
    EXPECT_EQ(requests[1].body, joined(lines.mid(5000)));
    EXPECT_EQ(requests[2].body, requests[1].body); // the refused batch, sent again whole
    EXPECT_EQ(requests[0].body + requests[2].body, joined(lines));
    EXPECT_EQ(http.connectionCount(), 1); // kept alive across batches and the 503
    const InfluxStatus s = writer.status();
    EXPECT_EQ(s.pointsRetried, 5000u);
    EXPECT_EQ(s.pointsQueued, 0u);
    EXPECT_EQ(s.pointsRejected, 0u);
    EXPECT_EQ(s.pointsDropped, 0u);
    EXPECT_EQ(s.state, InfluxStatus::State::Writing);
}

TEST(InfluxWriterFake, FullSpoolDropsTheOldestBatchesAndCountsThem)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    http.setDefault(503);
    Fixture f(http.url(), InfluxOptions::Api::V1);
    f.options.spoolMaxBytes = 1500;
    f.options.flushIntervalMs = 60000;
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(50, 100);
    writer.start();
    const int batches = 10;
    for (int b = 0; b < batches; ++b) {
        writer.writeLines(numberedLines("bounded", b * 10, 10)); // about 550 bytes
        writer.flush();
    }
    const InfluxStatus full = writer.status();
    EXPECT_GT(full.pointsDropped, 0u);
    EXPECT_LE(full.spoolBytes, 1500);
    EXPECT_EQ(full.pointsQueued + full.pointsDropped, quint64(batches * 10));

    http.setDefault(204);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsQueued == 0; }, 10000));
    const InfluxStatus done = writer.status();
    EXPECT_EQ(done.pointsWritten + done.pointsDropped, quint64(batches * 10));
    // The newest batch made it; the second one (not in flight when the spool overflowed) did not.
    QByteArray received;
    for (const auto &r : http.requests()) {
        received += r.body;
    }
    EXPECT_TRUE(received.contains(numberedLines("bounded", batches * 10 - 1, 1).first()));
    EXPECT_FALSE(received.contains(numberedLines("bounded", 10, 1).first()));
}

TEST(InfluxWriterFake, BatchesAtMaxLinesAndStatusIsNotEmittedPerLine)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    Fixture f(http.url(), InfluxOptions::Api::V1);
    f.options.maxBatchLines = 100;
    f.options.flushIntervalMs = 60000;
    InfluxWriter writer(f.options);
    int emitted = 0;
    QObject::connect(&writer, &InfluxWriter::statusChanged, [&] { ++emitted; });
    writer.start();
    for (const QByteArray &line : numberedLines("batched", 0, 250)) {
        writer.writeLine(line);
    }
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 200; }, 10000));
    EXPECT_EQ(http.requestCount(), 2);
    EXPECT_EQ(http.requests()[0].body.count('\n'), 100);
    EXPECT_EQ(writer.status().pointsQueued, 50u);
    writer.flush();
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 250; }, 10000));
    EXPECT_LT(emitted, 20);
}

TEST(InfluxWriterFake, DrainSendsEverythingOrGivesUpInTime)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    Fixture f(http.url(), InfluxOptions::Api::V1);
    f.options.flushIntervalMs = 60000;
    {
        InfluxWriter writer(f.options);
        writer.start();
        writer.writeLines(numberedLines("drain", 0, 10));
        EXPECT_TRUE(writer.drain(10000));
        EXPECT_EQ(writer.status().pointsWritten, 10u);
    }
    f.options.url = QStringLiteral("http://127.0.0.1:%1").arg(test::freePort()); // nobody there
    InfluxWriter writer(f.options);
    writer.start();
    writer.writeLines(numberedLines("drain", 10, 5));
    QElapsedTimer timer;
    timer.start();
    EXPECT_FALSE(writer.drain(500));
    EXPECT_LT(timer.elapsed(), 5000);
    EXPECT_EQ(writer.status().pointsQueued, 5u);
    EXPECT_EQ(batchFiles(f.spool.path()).size(), 1);
}

// A drain at shutdown does not wait out a long backoff: it tries at once.
TEST(InfluxWriterFake, DrainTriesAtOnceInsteadOfWaitingOutTheBackoff)
{
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    http.enqueue(503, R"({"error":"overloaded"})");
    Fixture f(http.url(), InfluxOptions::Api::V1);
    InfluxWriter writer(f.options);
    writer.setRetryBackoff(20000, 30000);
    writer.start();
    writer.writeLines(numberedLines("drained", 0, 3));
    writer.flush();
    ASSERT_TRUE(test::waitUntil([&] { return http.requestCount() == 1; }, 5000));
    test::spin(100); // the 503 is in: a retry is 10-20 s away
    QElapsedTimer timer;
    timer.start();
    EXPECT_TRUE(writer.drain(5000));
    EXPECT_LT(timer.elapsed(), 4000);
    EXPECT_EQ(http.requestCount(), 2);
    EXPECT_EQ(writer.status().pointsWritten, 3u);
}

TEST(InfluxWriterFake, OffWithoutUrl)
{
    InfluxOptions options;
    InfluxWriter writer(options);
    writer.start();
    writer.writeLines(numberedLines("off", 0, 3));
    EXPECT_EQ(writer.status().state, InfluxStatus::State::Off);
    EXPECT_EQ(writer.status().pointsQueued, 0u);
    EXPECT_STREQ(core::influxStateName(InfluxStatus::State::Off), "off");
}

TEST(InfluxHttp, RetryAfterSecondsAndHttpDate)
{
    using core::influxhttp::parseRetryAfter;
    EXPECT_EQ(parseRetryAfter("1"), 1000);
    EXPECT_EQ(parseRetryAfter(" 30 "), 30000);
    EXPECT_EQ(parseRetryAfter(""), -1);
    EXPECT_EQ(parseRetryAfter("soon"), -1);
    const QDateTime later = QDateTime::currentDateTimeUtc().addSecs(5);
    const QByteArray date =
        QLocale::c().toString(later, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
    const int ms = parseRetryAfter(date);
    EXPECT_GT(ms, 3000) << date.constData();
    EXPECT_LE(ms, 5000);
    EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), 0); // in the past: now
}

TEST(InfluxHttp, GzipRoundTrip)
{
    QByteArray text;
    for (const QByteArray &line : numberedLines("gz", 0, 500)) {
        text += line + '\n';
    }
    const QByteArray packed = core::gzipCompress(text);
    EXPECT_LT(packed.size(), text.size() / 4);
    bool ok = false;
    EXPECT_EQ(test::gunzip(packed, &ok), text);
    EXPECT_TRUE(ok);
}
