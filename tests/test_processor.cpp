// The processor: bad input never changes a total, points every tick with a final one per job,
// state survives a restart, and the real pipeline (simulators + demo + greenpulse-processor on a
// real mosquitto) gives per-job totals equal to a hand computation from the messages on the wire.
#include "MosquittoBroker.h"
#include "Samples.h"
#include "TestSupport.h"
#include "influx/LineSink.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"
#include "pipeline/SeriesStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <map>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

class CollectingSink : public LineSink
{
public:
    void writeLines(const QList<QByteArray> &lines) override { m_lines += lines; }
    QList<QByteArray> take() { return std::exchange(m_lines, {}); }

private:
    QList<QByteArray> m_lines;
};

struct Fixture
{
    ManualClock clock{kT0 + 100LL * 1'000'000'000LL};
    Ledger ledger{LedgerConfig{}, clock};
    MosquittoClient mqtt{MqttOptions{}}; // never connected: messages are fed directly
};

// Job J starts at 99 s; host h draws 100 W at 99 s and 100 s (100 W for the job's first
// second).
void startJobJ(Processor &processor)
{
    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::Start, "J", 99));
    processor.handleMessage(QByteArray(topics::kPower), powerJson("h", 99, 100));
    processor.handleMessage(QByteArray(topics::kPower), powerJson("h", 100, 100));
}

} // namespace

TEST(Processor, BadPayloadsAreCountedByReasonAndChangeNoTotal)
{
    Fixture f;
    Processor processor(f.ledger, f.mqtt, f.clock, ProcessorOptions{});
    const QByteArray power(topics::kPower);
    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::Start, "J", 0));
    processor.handleMessage(power, powerJson("h", 0, 100));
    processor.handleMessage(power, powerJson("h", 10, 100));

    const QList<QPair<QByteArray, QByteArray>> bad = {
        {power, "not json"},
        {power, "[1,2,3]"},
        {power, R"({"watts": 100, "timestamp": 1764049205})"},
        {power, R"({"host": "h", "watts": "lots", "timestamp": 1764049205})"},
        {power, R"({"host": "h", "watts": 1e999, "timestamp": 1764049205})"},
        {power, R"({"host": "h", "watts": -5, "timestamp": 1764049205})"},
        {power, R"({"host": "h", "watts": 250000, "timestamp": 1764049205})"},
        {QByteArray(topics::kControl), R"({"status": "paused", "job_id": "J"})"},
        {power, QByteArray(70 * 1024, ' ')},
        {"greenpulse/raw/unknown_kind", R"({"host": "h"})"},
        {power, powerJson("h", 5, 99999)}, // older than the host's latest
        // (A timestamp far in the future is re-stamped, not rejected: test_ledger_faults.cpp.)
    };
    for (const auto &[topic, payload] : bad) {
        processor.handleMessage(topic, payload);
    }
    processor.handleMessage(power, powerJson("h", 20, 100));

    const auto job = f.ledger.job(QStringLiteral("J"));
    ASSERT_TRUE(job);
    EXPECT_NEAR(job->kwh, 2000.0 / 3.6e6, 1e-15);
    const RejectionCounter &r = processor.rejections();
    EXPECT_EQ(r.accepted(), 4u);
    EXPECT_EQ(r.totalRejected(), static_cast<quint64>(bad.size()));
    for (RejectReason reason :
         {RejectReason::NotJson, RejectReason::NotAnObject, RejectReason::MissingKey,
          RejectReason::WrongType, RejectReason::NotFinite, RejectReason::Negative,
          RejectReason::AboveCeiling, RejectReason::UnknownStatus, RejectReason::PayloadTooLarge,
          RejectReason::UnknownTopic, RejectReason::OutOfOrder}) {
        EXPECT_EQ(r.count(reason), 1u) << rejectReasonName(reason);
    }
}

TEST(Processor, OriginalPayloadsWithoutTimestampAreAttributedThroughTheControlTopic)
{
    Fixture f;
    Processor processor(f.ledger, f.mqtt, f.clock, ProcessorOptions{});
    // The proof of concept's shapes: no timestamp anywhere, job_id null; receipt time counts.
    processor.handleMessage(QByteArray(topics::kPower),
                            R"({"host": "h", "watts": 100, "job_id": null})");
    f.clock.advanceSeconds(1);
    processor.handleMessage(QByteArray(topics::kControl),
                            R"({"status": "start", "job_id": "Train_1764049200_a1b2c3"})");
    f.clock.advanceSeconds(1);
    processor.handleMessage(QByteArray(topics::kPower),
                            R"({"host": "h", "watts": 100, "job_id": null})");
    f.clock.advanceSeconds(1);
    processor.handleMessage(QByteArray(topics::kControl),
                            R"({"status": "end", "job_id": "Train_1764049200_a1b2c3"})");
    f.clock.advanceSeconds(1);
    processor.handleMessage(QByteArray(topics::kPower),
                            R"({"host": "h", "watts": 100, "job_id": null})");
    const auto job = f.ledger.job(QStringLiteral("Train_1764049200_a1b2c3"));
    ASSERT_TRUE(job);
    EXPECT_NEAR(job->kwh, 200.0 / 3.6e6, 1e-12);
    EXPECT_NEAR(f.ledger.job(QStringLiteral("idle"))->kwh, 200.0 / 3.6e6, 1e-12);
}

TEST(Processor, WritesPointsEveryTickAndAFinalPointPerJob)
{
    Fixture f;
    CollectingSink sink;
    ProcessorOptions options;
    options.tickIntervalMs = 20;
    Processor processor(f.ledger, f.mqtt, f.clock, options);
    processor.setLineSink(&sink);
    ASSERT_TRUE(processor.start());
    const QByteArray power(topics::kPower);
    startJobJ(processor);
    auto count = [](const QList<QByteArray> &lines, const char *prefix) {
        return std::count_if(lines.begin(), lines.end(),
                             [prefix](const QByteArray &l) { return l.startsWith(prefix); });
    };
    spin(200);
    QList<QByteArray> lines = sink.take();
    EXPECT_EQ(count(lines, "job_events,host=all,job_id=J status=\"start\""), 1);
    EXPECT_GT(count(lines, "environmental_footprint,job_id=J "), 0);
    EXPECT_GT(count(lines, "environmental_footprint,job_id=idle "), 0);
    EXPECT_GT(count(lines, "host_telemetry,host=h watts=100"), 0);
    EXPECT_GT(count(lines, "processor_stats "), 0);

    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::End, "J", 100.5));
    processor.handleMessage(power, powerJson("h", 101, 100));
    spin(100);
    f.clock.advanceSeconds(5); // past the final-point delay
    spin(200);
    lines = sink.take();
    EXPECT_EQ(count(lines, "job_events,host=all,job_id=J status=\"end\""), 1);
    const auto finals = std::find_if(lines.rbegin(), lines.rend(), [](const QByteArray &l) {
        return l.startsWith("environmental_footprint,job_id=J ");
    });
    ASSERT_NE(finals, lines.rend());
    EXPECT_TRUE(finals->contains("cumulative_kwh=" + QByteArray::number(150.0 / 3.6e6, 'g', 17)))
        << finals->toStdString();
    spin(100);
    EXPECT_EQ(count(sink.take(), "environmental_footprint,job_id=J "), 0); // nothing after final
    processor.stop();
}

// The chart series: what each tick writes as points goes into the SeriesStore too, at the tick's
// time: each running job's totals, each host's latest power (flow and temperature only for hosts
// that sent them), a final point for an ended job, then nothing more for it or for a silent host.
TEST(Processor, RecordsTheChartSeriesOfEachTick)
{
    Fixture f;
    SeriesStore series;
    ProcessorOptions options;
    options.tickIntervalMs = 20;
    Processor processor(f.ledger, f.mqtt, f.clock, options);
    processor.setSeriesStore(&series);
    ASSERT_TRUE(processor.start());
    const QByteArray power(topics::kPower);
    startJobJ(processor);
    spin(200);
    const double nowMs = static_cast<double>(f.clock.nowNs() / 1'000'000);
    EXPECT_EQ(series.keys(), (QStringList{QStringLiteral("co2e/J"), QStringLiteral("co2e/idle"),
                                          QStringLiteral("kwh/J"), QStringLiteral("kwh/idle"),
                                          QStringLiteral("liters/J"), QStringLiteral("liters/idle"),
                                          QStringLiteral("power/h")}));
    // Every tick at the same (manual) time: every point is (now, the value then).
    const QVector<QPointF> watts = series.copy(QStringLiteral("power/h"));
    ASSERT_FALSE(watts.isEmpty());
    for (const QPointF &p : watts) {
        EXPECT_EQ(p, QPointF(nowMs, 100));
    }
    const double kwh = 100.0 / 3.6e6; // 100 W for the one second the job ran
    const auto job = f.ledger.job(QStringLiteral("J"));
    ASSERT_TRUE(job);
    EXPECT_EQ(series.copy(QStringLiteral("kwh/J")).constLast(), QPointF(nowMs, job->kwh));
    EXPECT_NEAR(job->kwh, kwh, 1e-15);
    EXPECT_EQ(series.copy(QStringLiteral("co2e/J")).constLast(), QPointF(nowMs, job->co2eKg));
    EXPECT_EQ(series.copy(QStringLiteral("liters/J")).constLast(), QPointF(nowMs, 0));

    // The end: one more point with the job's final total, 3 s later, then none.
    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::End, "J", 100.5));
    processor.handleMessage(power, powerJson("h", 101, 100));
    spin(100);
    f.clock.advanceSeconds(5);
    spin(200);
    const double endMs = static_cast<double>(f.clock.nowNs() / 1'000'000);
    const QVector<QPointF> finalPoints = series.copy(QStringLiteral("kwh/J"), endMs);
    ASSERT_EQ(finalPoints.size(), 1); // the final point, once
    EXPECT_EQ(finalPoints.constFirst(), QPointF(endMs, 150.0 / 3.6e6));

    // A host silent for longer than the gap bound (10 s) gets no more points: the charts break
    // its line there instead of holding its last value.
    f.clock.advanceSeconds(7); // 11 s after its last sample
    spin(200);
    const double silentMs = static_cast<double>(f.clock.nowNs() / 1'000'000);
    EXPECT_TRUE(series.copy(QStringLiteral("power/h"), silentMs).isEmpty());
    EXPECT_FALSE(series.copy(QStringLiteral("kwh/idle"), silentMs).isEmpty());

    // A host silent for over a minute gets no more points; the idle job goes on.
    f.clock.advanceSeconds(70);
    spin(200);
    const double laterMs = static_cast<double>(f.clock.nowNs() / 1'000'000);
    EXPECT_TRUE(series.copy(QStringLiteral("power/h"), laterMs).isEmpty());
    EXPECT_TRUE(series.copy(QStringLiteral("kwh/J"), laterMs).isEmpty());
    EXPECT_FALSE(series.copy(QStringLiteral("kwh/idle"), laterMs).isEmpty());
    processor.stop();
}

TEST(Processor, EndedJobsLeaveMemoryButNotTodaysTotals)
{
    Fixture f;
    ProcessorOptions options;
    options.tickIntervalMs = 20;
    options.snapshotIntervalMs = 20;
    Processor processor(f.ledger, f.mqtt, f.clock, options);
    ASSERT_TRUE(processor.start());
    const QByteArray power(topics::kPower);
    startJobJ(processor);
    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::End, "J", 100.5));
    processor.handleMessage(power, powerJson("h", 101, 100));
    spin(100);
    f.clock.advanceSeconds(5); // its final point
    spin(100);
    const double today = processor.snapshot()->today.kwh;
    EXPECT_NEAR(today, 200.0 / 3.6e6, 1e-12);
    ASSERT_TRUE(f.ledger.job(QStringLiteral("J")).has_value()); // a late host may still need it

    f.clock.advanceSeconds(400); // past --max-clock-behind-s after its end
    spin(100);
    EXPECT_FALSE(f.ledger.job(QStringLiteral("J")).has_value());
    EXPECT_EQ(f.ledger.counters().jobsForgotten, 1u);
    EXPECT_NEAR(processor.snapshot()->today.kwh, today, 1e-15);
    processor.handleMessage(power, powerJson("h", 505, 100)); // the host goes on, to idle
    processor.handleMessage(power, powerJson("h", 506, 100));
    spin(100);
    EXPECT_NEAR(processor.snapshot()->today.kwh, today + 100.0 / 3.6e6, 1e-12);
    processor.stop();
}

TEST(Processor, StateFileCarriesTotalsAcrossARestart)
{
    QTemporaryDir dir;
    const QString state = dir.filePath(QStringLiteral("sub/ledger.json"));
    ProcessorOptions options;
    options.stateFile = state;
    {
        Fixture f;
        Processor processor(f.ledger, f.mqtt, f.clock, options);
        ASSERT_TRUE(processor.start());
        processor.handleMessage(QByteArray(topics::kControl),
                                controlJson(JobStatus::Start, "J", 0));
        for (int t = 0; t <= 50; ++t) {
            processor.handleMessage(QByteArray(topics::kPower), powerJson("h", t, 720));
        }
        processor.stop();
    }
    Fixture f;
    Processor processor(f.ledger, f.mqtt, f.clock, options);
    ASSERT_TRUE(processor.start());
    for (int t = 51; t <= 100; ++t) {
        processor.handleMessage(QByteArray(topics::kPower), powerJson("h", t, 720));
    }
    const auto job = f.ledger.job(QStringLiteral("J"));
    ASSERT_TRUE(job);
    EXPECT_TRUE(job->running);
    // The samples carry no "seq": the interval across the restart may hide lost ones, so it is
    // uncovered (docs/accounting.md, "Restarts").
    EXPECT_NEAR(job->kwh, 720.0 * 99 / 3.6e6, 1e-12);
    EXPECT_NEAR(job->uncoveredSeconds, 1.0, 1e-9);
    processor.stop();

    // A corrupt state file is set aside, not fatal.
    QFile corrupt(state);
    ASSERT_TRUE(corrupt.open(QIODevice::WriteOnly | QIODevice::Truncate));
    corrupt.write("{not json");
    corrupt.close();
    Fixture g;
    Processor again(g.ledger, g.mqtt, g.clock, options);
    EXPECT_TRUE(again.start());
    EXPECT_FALSE(g.ledger.job(QStringLiteral("J")).has_value());
    again.stop();
}

namespace {

// Independent of the ledger: integrates linearly interpolated samples over [from, to].
double integrate(const std::map<TimeNs, double> &samples, TimeNs from, TimeNs to)
{
    double total = 0;
    auto value = [&samples](TimeNs t) {
        auto hi = samples.lower_bound(t);
        if (hi == samples.end()) {
            return std::prev(hi)->second;
        }
        if (hi->first == t || hi == samples.begin()) {
            return hi->second;
        }
        auto lo = std::prev(hi);
        const double f =
            static_cast<double>(t - lo->first) / static_cast<double>(hi->first - lo->first);
        return lo->second + (hi->second - lo->second) * f;
    };
    std::vector<TimeNs> points{from};
    for (auto it = samples.upper_bound(from); it != samples.end() && it->first < to; ++it) {
        points.push_back(it->first);
    }
    points.push_back(to);
    for (size_t i = 0; i + 1 < points.size(); ++i) {
        total += (value(points[i]) + value(points[i + 1])) / 2 *
                 static_cast<double>(points[i + 1] - points[i]) / 1e9;
    }
    return total;
}

} // namespace

TEST(Pipeline, DemoJobsTotalsEqualAHandComputationFromTheWire)
{
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    MosquittoSubscriber wire;
    ASSERT_TRUE(wire.start(broker.url()));
    QTemporaryDir dir;
    const QString host = QStringLiteral("pipeline-host");

    Child processor;
    ASSERT_TRUE(
        processor.start(binary(QStringLiteral("greenpulse-processor")),
                        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--state-file"),
                         dir.filePath(QStringLiteral("ledger.json")), QStringLiteral("--client-id"),
                         QStringLiteral("pipeline-processor"), QStringLiteral("--config"),
                         QStringLiteral("/dev/null")}));
    ASSERT_TRUE(waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, 15000))
        << processor.readStderr().toStdString();

    Child agent;
    Child sensor;
    const QStringList common{QStringLiteral("--broker"),      broker.url(),
                             QStringLiteral("--host"),        host,
                             QStringLiteral("--interval-ms"), QStringLiteral("250")};
    ASSERT_TRUE(
        agent.start(binary(QStringLiteral("greenpulse-host-agent")),
                    common + QStringList{QStringLiteral("--source"), QStringLiteral("sim")}));
    ASSERT_TRUE(sensor.start(binary(QStringLiteral("greenpulse-sensor-sim")), common));
    spin(1500);

    // Malformed messages in the middle of the stream must not disturb anything.
    MqttOptions o;
    o.brokerUrl = broker.url();
    o.clientId = QStringLiteral("pipeline-vandal");
    MosquittoClient vandal(o);
    vandal.connectToBroker();
    ASSERT_TRUE(waitUntil([&] { return vandal.state() == ConnectionState::Connected; }, 10000));
    for (int i = 0; i < 50; ++i) {
        vandal.publish(QByteArray(topics::kPower),
                       i % 2 ? QByteArray("{\"host\": 1}") : QByteArray("\x01\x02garbage"));
    }

    const ProcessResult demo = run(binary(QStringLiteral("greenpulse-job")),
                                   {QStringLiteral("demo"), QStringLiteral("--broker"),
                                    broker.url(), QStringLiteral("--host"), host},
                                   90000);
    ASSERT_EQ(demo.exitCode, 0) << demo.err.toStdString();
    EXPECT_TRUE(demo.out.contains("Initial_Model_Train")) << demo.out.toStdString();
    spin(1500); // one more sample after the last end, so the tail is integrated
    ASSERT_TRUE(processor.terminate(20000));
    agent.terminate();
    sensor.terminate();
    EXPECT_EQ(processor.exitCode(), 0) << processor.readStderr().toStdString();

    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();
    ASSERT_TRUE(out.contains(QLatin1String("jobs"))) << processor.readStdout().toStdString();
    EXPECT_EQ(out[QLatin1String("counters")][QLatin1String("rejected")].toInt(), 50);

    // Rebuild the truth from what crossed the wire.
    std::map<TimeNs, double> watts;
    std::map<TimeNs, double> flow;
    QHash<QString, TimeNs> starts;
    QHash<QString, TimeNs> ends;
    for (const auto &[topic, payload] : wire.messages()) {
        const Decoded d = decode(topic, payload, 0);
        if (const auto *p = std::get_if<PowerSample>(&d); p && p->host == host) {
            watts[p->timestampNs] = p->watts;
        } else if (const auto *f = std::get_if<FlowTempSample>(&d); f && f->host == host) {
            flow[f->timestampNs] = f->flowLpm;
        } else if (const auto *c = std::get_if<ControlMessage>(&d)) {
            (c->status == JobStatus::Start ? starts : ends)[c->jobId] = c->timestampNs;
        }
    }
    ASSERT_EQ(starts.size(), 2);
    int checked = 0;
    for (const QJsonValue &v : out[QLatin1String("jobs")].toArray()) {
        const QJsonObject job = v.toObject();
        const QString id = job[QLatin1String("job_id")].toString();
        if (!starts.contains(id)) {
            continue;
        }
        ASSERT_TRUE(ends.contains(id));
        const double kwh = integrate(watts, starts[id], ends[id]) / 3.6e6;
        const double liters = integrate(flow, starts[id], ends[id]) / 60.0;
        EXPECT_NEAR(job[QLatin1String("kwh")].toDouble(), kwh, kwh * 1e-9) << id.toStdString();
        EXPECT_NEAR(job[QLatin1String("co2e_kg")].toDouble(), kwh * 0.632, kwh * 1e-9);
        EXPECT_NEAR(job[QLatin1String("liters")].toDouble(), liters, liters * 1e-9);
        EXPECT_EQ(job[QLatin1String("status")].toString(), QStringLiteral("ended"));
        EXPECT_NEAR(job[QLatin1String("coverage")].toDouble(), 1.0, 1e-9);
        // The host agent draws 350-500 W during a job.
        EXPECT_GE(job[QLatin1String("avg_watts")].toDouble(), 340);
        EXPECT_LE(job[QLatin1String("peak_watts")].toDouble(), 500);
        ++checked;
    }
    EXPECT_EQ(checked, 2);
}
