// The charts' history from InfluxDB (core/influx/HistoryQuery, core/pipeline/SeriesHistory,
// SeriesStore::insertHistory): the bucketed InfluxQL, reading an answer, putting history before
// the live points, and a real influxd answering for points the product's writer wrote.

#include "InfluxServer.h"
#include "TestSupport.h"
#include "influx/HistoryQuery.h"
#include "influx/InfluxWriter.h"
#include "pipeline/MetricsSchema_p.h"
#include "pipeline/SeriesHistory.h"
#include "pipeline/SeriesStore.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <cmath>
#include <gtest/gtest.h>

using namespace greenpulse;
using core::HistoryAnswer;
using core::HistoryQuery;
using core::HistoryRequest;
using core::SeriesStore;
namespace serieskeys = core::serieskeys;

TEST(HistoryRequest, BucketsKeepEverySeriesUnderAThousandPoints)
{
    HistoryRequest r;
    r.measurement = QStringLiteral("host_telemetry");
    r.tag = QStringLiteral("host");
    r.fields = QStringList{QStringLiteral("watts"), QStringLiteral("temp_c")};
    r.fromMs = 1'700'000'000'000;
    for (int seconds : {300, 900, 3600, 6 * 3600}) {
        r.toMs = r.fromMs + seconds * 1000LL;
        EXPECT_EQ(r.bucketMs() % 1000, 0);
        EXPECT_LE((r.toMs - r.fromMs) / r.bucketMs(), r.maxPoints) << seconds;
    }
    r.toMs = r.fromMs + 900'000;
    EXPECT_EQ(r.bucketMs(), 1000);
    r.toMs = r.fromMs + 6 * 3600'000;
    EXPECT_EQ(r.bucketMs(), 22000);
    EXPECT_EQ(r.influxql(),
              QStringLiteral("SELECT mean(\"watts\") AS \"watts\", mean(\"temp_c\") AS \"temp_c\" "
                             "FROM \"host_telemetry\" WHERE time >= 1700000000000ms AND time < "
                             "1700021600000ms GROUP BY time(22000ms), \"host\" fill(none) "
                             "SLIMIT 100"));
}

TEST(HistoryQuery, ReadsEachFieldOfEachSeriesAndSkipsNulls)
{
    HistoryRequest r;
    r.measurement = QStringLiteral("host_telemetry");
    r.tag = QStringLiteral("host");
    const QByteArray body = R"({"results":[{"statement_id":0,"series":[
        {"name":"host_telemetry","tags":{"host":"gpu-01"},"columns":["time","watts","temp_c"],
         "values":[[1000,100.5,null],[2000,101.5,30.25]]},
        {"name":"host_telemetry","tags":{"host":"gpu-02"},"columns":["time","watts","temp_c"],
         "values":[[1000,7,null]]}]}]})";
    const HistoryAnswer answer = HistoryQuery::parse(body, r);
    ASSERT_TRUE(answer.error.isEmpty()) << answer.error.toStdString();
    ASSERT_EQ(answer.series.size(), 3); // gpu-02 has no temperature
    EXPECT_EQ(answer.series[0].tagValue, QStringLiteral("gpu-01"));
    EXPECT_EQ(answer.series[0].field, QStringLiteral("watts"));
    EXPECT_EQ(answer.series[0].points, (QVector<QPointF>{{1000, 100.5}, {2000, 101.5}}));
    EXPECT_EQ(answer.series[1].points, (QVector<QPointF>{{2000, 30.25}}));
    EXPECT_EQ(answer.series[2].tagValue, QStringLiteral("gpu-02"));

    EXPECT_EQ(
        HistoryQuery::parse(R"({"results":[{"error":"retention policy not found: x"}]})", r).error,
        QStringLiteral("retention policy not found: x"));
    // A database nobody wrote yet has no history: an empty answer, not an error.
    const HistoryAnswer none =
        HistoryQuery::parse(R"({"results":[{"error":"database not found: x"}]})", r);
    EXPECT_TRUE(none.error.isEmpty());
    EXPECT_TRUE(none.series.isEmpty());
    EXPECT_FALSE(HistoryQuery::parse("not json", r).error.isEmpty());
}

TEST(SeriesStore, HistoryGoesBeforeTheLivePointsAndStaysBounded)
{
    SeriesStore store(64, 2);
    store.append(QStringLiteral("power/a"), 10'000, 5);
    store.append(QStringLiteral("power/a"), 11'000, 6);
    const quint64 history = store.historyRevision();
    QVector<QPointF> older;
    for (int i = 0; i < 200; ++i) {
        older.append(QPointF(i * 50.0, i)); // 0 .. 9950, and then some at or after the live ones
    }
    older.append(QPointF(10'000, 99));
    older.append(QPointF(10'500, 99));
    EXPECT_EQ(store.insertHistory(QStringLiteral("power/a"), older), 200);
    const QVector<QPointF> points = store.copy(QStringLiteral("power/a"));
    EXPECT_LE(points.size(), 64);
    EXPECT_EQ(points.constLast(), QPointF(11'000, 6)); // the live points won
    EXPECT_EQ(points[points.size() - 2], QPointF(10'000, 5));
    EXPECT_EQ(store.firstX(QStringLiteral("power/a")), 0);
    EXPECT_GT(store.historyRevision(), history);
    for (int i = 1; i < points.size(); ++i) {
        EXPECT_LT(points[i - 1].x(), points[i].x());
    }
    // Appends go on after the history as before; a series that had none starts with it.
    store.append(QStringLiteral("power/a"), 12'000, 7);
    EXPECT_EQ(store.copy(QStringLiteral("power/a")).constLast(), QPointF(12'000, 7));
    // (Job series: hosts take at most 3/4 of the store, here 1.)
    EXPECT_EQ(store.insertHistory(QStringLiteral("kwh/b"), {{1, 1}, {2, 2}}), 2);
    EXPECT_EQ(store.insertHistory(QStringLiteral("kwh/c"), {{1, 1}}), 0); // maxSeries 2
    EXPECT_EQ(store.droppedSeries(), 1u);
    EXPECT_TRUE(std::isnan(store.firstX(QStringLiteral("kwh/c"))));
}

// Ten minutes of one host and one job, written one point a second by the product's writer
// through the schema's own lines, read back as the charts' series over a two-hour window.
TEST(HistoryQueryInfluxd, AWindowComesBackBucketedAsTheChartSeries)
{
    test::InfluxServer server;
    ASSERT_TRUE(server.start()) << server.lastError().toStdString();
    QTemporaryDir spool;
    core::InfluxOptions options;
    options.url = server.url();
    options.spoolDir = spool.path();
    options.flushIntervalMs = 100;
    core::InfluxWriter writer(options);
    writer.start();

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
    const qint64 firstMs = nowMs - 660'000;
    QList<QByteArray> lines;
    for (int i = 0; i < 600; ++i) {
        const core::TimeNs at = (firstMs + i * 1000LL) * 1'000'000;
        core::HostSummary host;
        host.host = QStringLiteral("gpu-01");
        host.watts = 100 + i % 8;
        host.hasPower = true;
        host.flowLpm = 12;
        host.tempC = 30;
        host.hasFlow = true;
        lines << core::schema::hostLine(host, at);
        core::JobSummary job;
        job.jobId = QStringLiteral("train-1");
        job.running = true;
        job.kwh = 0.001 * i;
        job.co2eKg = 0.0005 * i;
        job.liters = 0.01 * i;
        lines << core::schema::footprintLine(job, at);
    }
    writer.writeLines(lines);
    ASSERT_TRUE(test::waitUntil([&] { return writer.status().pointsWritten == 1200; }, 30000))
        << writer.status().lastError.toStdString();

    HistoryQuery query;
    QSignalSpy answers(&query, &HistoryQuery::finished);
    SeriesStore store;
    store.append(serieskeys::key(serieskeys::Kind::Power, QStringLiteral("gpu-01")), nowMs, 500);
    int taken = 0;
    const QVector<HistoryRequest> requests =
        core::serieshistory::requests(nowMs - 2 * 3600'000, nowMs + 1000);
    ASSERT_EQ(requests.size(), 2);
    for (const HistoryRequest &request : requests) {
        EXPECT_EQ(request.bucketMs(), 8000); // 7,201 s in at most 1,000 buckets
        query.start(options, request);
        ASSERT_TRUE(answers.wait(30000));
        const auto answer = answers.takeFirst().at(0).value<HistoryAnswer>();
        ASSERT_TRUE(answer.error.isEmpty()) << answer.error.toStdString();
        for (const core::HistorySeries &series : answer.series) {
            EXPECT_GE(series.points.size(), 75);
            EXPECT_LE(series.points.size(), 76);
            for (const QPointF &p : series.points) {
                EXPECT_EQ(static_cast<qint64>(p.x()) % 8000, 0);
            }
        }
        taken += core::serieshistory::store(store, answer);
    }
    using serieskeys::Kind;
    const QVector<QPointF> power =
        store.copy(serieskeys::key(Kind::Power, QStringLiteral("gpu-01")));
    ASSERT_GE(power.size(), 76);
    EXPECT_EQ(power.constLast(), QPointF(nowMs, 500)); // the live point, after the history
    // A whole bucket holds watts 100..107 once each: their mean.
    EXPECT_DOUBLE_EQ(power[power.size() / 2].y(), 103.5);
    EXPECT_EQ(store.copy(serieskeys::key(Kind::Temp, QStringLiteral("gpu-01"))).constLast().y(),
              30);
    EXPECT_EQ(store.copy(serieskeys::key(Kind::Flow, QStringLiteral("gpu-01"))).constLast().y(),
              12);
    const QVector<QPointF> kwh = store.copy(serieskeys::key(Kind::Kwh, QStringLiteral("train-1")));
    ASSERT_FALSE(kwh.isEmpty());
    EXPECT_NEAR(kwh.constLast().y(), 0.599, 1e-9); // the last value of the last bucket
    for (int i = 1; i < kwh.size(); ++i) {
        EXPECT_GT(kwh[i].y(), kwh[i - 1].y());
    }
    EXPECT_FALSE(store.copy(serieskeys::key(Kind::Co2e, QStringLiteral("train-1"))).isEmpty());
    EXPECT_FALSE(store.copy(serieskeys::key(Kind::Liters, QStringLiteral("train-1"))).isEmpty());
    EXPECT_EQ(taken, 6 * (power.size() - 1));
}

TEST(HistoryQueryInfluxd, AnUnreachableServerIsAnErrorNotAHang)
{
    HistoryQuery query;
    QSignalSpy answers(&query, &HistoryQuery::finished);
    core::InfluxOptions options;
    options.url = QStringLiteral("http://127.0.0.1:%1").arg(test::freePort());
    query.start(options, core::serieshistory::requests(0, 900'000).at(0));
    ASSERT_TRUE(answers.wait(30000));
    EXPECT_FALSE(answers.takeFirst().at(0).value<HistoryAnswer>().error.isEmpty());
}
