// The published ledger without a broker: its payloads read back bit for bit (LedgerFeed), the
// publisher pages hosts under the broker's packet size and clears what left, and the follower
// counts bad payloads without applying them.
#include "RecordingMqttClient.h"
#include "accounting/Ledger.h"
#include "base/Clock.h"
#include "pipeline/LedgerFeed.h"
#include "pipeline/LedgerFollower.h"
#include "pipeline/LedgerPublisher.h"
#include "protocol/Topics.h"

#include <QJsonDocument>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace greenpulse::core;
using greenpulse::test::RecordingMqttClient;

namespace {

// Doubles whose shortest text is long, or that do not survive a 'g' with 15 digits.
const double kAwkward[] = {0.1 + 0.2,          1.0 / 3.0, 2.0 / 3.0 * 1e-7,
                           123456.78901234567, 5e-324,    std::nextafter(1.0, 2.0),
                           1e300 / 7.0};

JobSummary awkwardJob(const QString &id, int i)
{
    JobSummary j;
    j.jobId = id;
    j.running = i % 2 == 0;
    j.hosts = {QStringLiteral("gpu-1"), QStringLiteral("gpu-2")};
    j.targetHost = QStringLiteral("gpu-1");
    j.startNs = 1'764'049'200'123'456'789LL + i;
    j.endNs = j.running ? 0 : j.startNs + 987'654'321;
    j.durationSeconds = kAwkward[i % 7];
    j.kwh = kAwkward[(i + 1) % 7];
    j.co2eKg = kAwkward[(i + 2) % 7];
    j.liters = kAwkward[(i + 3) % 7];
    j.currentWatts = 301.7 + i * 0.13;
    j.avgWatts = 299.99999999999994;
    j.peakWatts = 1e-9 / 3;
    j.hasTemp = i % 3 != 0;
    j.latestTempC = j.hasTemp ? 41.300000000000004 : 0;
    j.peakTempC = j.hasTemp ? 45.1 : 0;
    j.coveredSeconds = 12.000000000000002;
    j.uncoveredSeconds = 0.30000000000000004;
    j.coverage = 0.975609756097561;
    j.waterCoveredSeconds = 7.1;
    j.waterUncoveredSeconds = 0;
    j.waterCoverage = 1;
    j.samples = 1234567890123ULL;
    if (!j.running) {
        j.exitCode = i == 1 ? 0 : 137;
        j.exitState = QStringLiteral("failed");
    }
    j.fromControl = true;
    j.targetHosts = {QStringLiteral("gpu-1"), QStringLiteral("gpu-2")};
    j.user = QStringLiteral("alice");
    j.name = QStringLiteral("train \"big\" model");
    j.gpus.insert(QStringLiteral("gpu-1"), {QStringLiteral("0"), QStringLiteral("1")});
    j.gpus.insert(QString(), {QStringLiteral("2")});
    j.footprint.facilityKwh = kAwkward[(i + 1) % 7];
    j.footprint.waterOnsiteL = kAwkward[(i + 2) % 7];
    j.footprint.waterOffsiteL = kAwkward[(i + 3) % 7];
    j.footprint.embodiedKg = i % 2 ? 0.1 + 0.2 : 0;
    j.footprint.staleSeconds = 0.30000000000000004;
    j.footprint.fallbackSeconds = 1.1;
    j.footprint.hasIntensity = i % 3 != 0;
    j.footprint.minGPerKwh = j.footprint.hasIntensity ? 212.25 : 0;
    j.footprint.maxGPerKwh = j.footprint.hasIntensity ? 800.0000000000001 : 0;
    j.footprint.sources = {QStringLiteral("electricitymaps@DE"), QStringLiteral("constant")};
    j.silentSeconds = i * 0.7;
    return j;
}

HostSummary awkwardHost(const QString &name, int i)
{
    HostSummary h;
    h.host = name;
    h.hasPower = i % 4 != 3;
    h.watts = h.hasPower ? kAwkward[i % 7] * 1000 : 0;
    h.hasFlow = i % 2 == 0;
    h.flowLpm = h.hasFlow ? kAwkward[(i + 2) % 7] : 0;
    h.tempC = h.hasFlow ? 33.300000000000004 : 0;
    h.jobs = i % 3 == 0 ? QStringList{} : QStringList{QStringLiteral("job-%1").arg(i)};
    h.lastSeenNs = 1'764'049'200'123'456'789LL + i;
    h.lastHeardNs = h.lastSeenNs + 1'000'000'007LL;
    h.zone = i % 2 ? QStringLiteral("US-CAL-CISO") : QString();
    h.hasClockOffset = i % 2 == 1;
    h.clockOffsetSeconds = h.hasClockOffset ? -0.0012345678901234567 : 0;
    h.clockSkewSamples = static_cast<quint64>(i);
    h.missingSamples = 3;
    h.waterCoveredSeconds = kAwkward[(i + 4) % 7];
    h.waterUncoveredSeconds = 0.5;
    h.powerSource = QStringLiteral("rapl,nvml");
    h.hasEnergyCounter = true;
    if (i % 2 == 0) {
        h.components = {{QStringLiteral("cpu"), 95.30000000000001, 1234.5678901234567},
                        {QStringLiteral("gpu0"), 250.1, std::nullopt, QStringLiteral("GPU-1a2b")}};
    }
    return h;
}

QByteArray wire(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject unwire(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

void expectSameJob(const JobSummary &a, const JobSummary &b)
{
    // Every field, compared exactly (the processor's output format plus the exact instants).
    EXPECT_EQ(Ledger::jobToJson(a), Ledger::jobToJson(b)) << a.jobId.toStdString();
    EXPECT_EQ(a.startNs, b.startNs);
    EXPECT_EQ(a.endNs, b.endNs);
    EXPECT_EQ(a.fromControl, b.fromControl);
    EXPECT_EQ(a.kwh, b.kwh);
    EXPECT_EQ(a.co2eKg, b.co2eKg);
    EXPECT_EQ(a.liters, b.liters);
    EXPECT_EQ(a.gpus, b.gpus);
    EXPECT_EQ(a.hasTemp, b.hasTemp);
    EXPECT_EQ(a.silentSeconds, b.silentSeconds);
}

} // namespace

TEST(LedgerFeed, JobsReadBackBitForBit)
{
    for (int i = 0; i < 7; ++i) {
        const JobSummary job = awkwardJob(QStringLiteral("job-%1").arg(i), i);
        QString error;
        const std::optional<JobSummary> back =
            ledgerfeed::jobFromJson(unwire(wire(ledgerfeed::jobToJson(job))), &error);
        ASSERT_TRUE(back) << error.toStdString();
        expectSameJob(job, *back);
    }
}

TEST(LedgerFeed, HostsReadBackBitForBit)
{
    std::vector<HostSummary> hosts;
    for (int i = 0; i < 8; ++i) {
        hosts.push_back(awkwardHost(QStringLiteral("gpu-%1").arg(i), i));
    }
    const QJsonObject counters = Ledger::hostsToJson(hosts);
    for (const HostSummary &h : hosts) {
        QString error;
        const std::optional<HostSummary> back = ledgerfeed::hostFromJson(
            h.host, unwire(wire(ledgerfeed::hostToJson(h, counters[h.host].toObject()))), &error);
        ASSERT_TRUE(back) << error.toStdString();
        EXPECT_EQ(Ledger::hostsToJson({h}), Ledger::hostsToJson({*back}));
        EXPECT_EQ(back->watts, h.watts);
        EXPECT_EQ(back->hasPower, h.hasPower);
        EXPECT_EQ(back->flowLpm, h.flowLpm);
        EXPECT_EQ(back->hasFlow, h.hasFlow);
        EXPECT_EQ(back->tempC, h.tempC);
        EXPECT_EQ(back->jobs, h.jobs);
        EXPECT_EQ(back->lastSeenNs, h.lastSeenNs);
        EXPECT_EQ(back->lastHeardNs, h.lastHeardNs);
        EXPECT_EQ(back->zone, h.zone);
        EXPECT_TRUE(back->components == h.components);
    }
}

TEST(LedgerFeed, SummaryReadsBack)
{
    ProcessorSnapshot s;
    s.takenNs = 1'764'049'200'987'654'321LL;
    s.accepted = 123456789;
    s.rejected = 7;
    s.droppedPublishes = 2;
    s.messagesPerSecond = 1.0 / 3.0;
    s.rejectionsByReason = QJsonObject{{QStringLiteral("bad_json"), 7}};
    s.powerNowWatts = 0.1 + 0.2;
    s.today = {kAwkward[0],     kAwkward[1],     kAwkward[3],    kAwkward[2],
               kAwkward[0] * 3, kAwkward[1] * 7, kAwkward[3] / 9};
    s.config.pue = 1.37;
    s.config.carbonKgPerKwh = 0.4321;
    s.config.maxHosts = 12345;
    s.mqttState = ConnectionState::Connected;
    s.influx.state = InfluxStatus::State::Spooling;
    s.influx.pointsWritten = 99;
    s.influx.spoolBytes = 4096;
    s.influx.lastError = QStringLiteral("connection refused");
    s.stateSaveFailures = 1;
    s.stateSaveError = QStringLiteral("disk full");
    s.journalFailures = 2;
    s.reconciledEnds = 3;
    s.gpuEnergyClamped = 4;
    s.staleAfterSeconds = 15.5;
    ledgerfeed::SummaryInfo info{
        QStringLiteral("site-a"), QStringLiteral("proc-1"), 2000, 4, 700, 3, true};
    ProcessorSnapshot back;
    ledgerfeed::SummaryInfo backInfo;
    QString error;
    ASSERT_TRUE(ledgerfeed::summaryFromJson(unwire(wire(ledgerfeed::summaryToJson(s, info))), &back,
                                            &backInfo, &error))
        << error.toStdString();
    EXPECT_EQ(back.takenNs, s.takenNs);
    EXPECT_EQ(back.accepted, s.accepted);
    EXPECT_EQ(back.rejected, s.rejected);
    EXPECT_EQ(back.droppedPublishes, s.droppedPublishes);
    EXPECT_EQ(back.messagesPerSecond, s.messagesPerSecond);
    EXPECT_EQ(back.rejectionsByReason, s.rejectionsByReason);
    EXPECT_EQ(back.powerNowWatts, s.powerNowWatts);
    for (const DayTotals::Field &f : DayTotals::fields()) {
        EXPECT_EQ(back.today.*f.day, s.today.*f.day) << f.key;
    }
    EXPECT_TRUE(back.config == s.config);
    EXPECT_EQ(back.mqttState, s.mqttState);
    EXPECT_TRUE(back.influx == s.influx);
    EXPECT_EQ(back.stateSaveError, s.stateSaveError);
    EXPECT_EQ(back.stateSaveFailures, s.stateSaveFailures);
    EXPECT_EQ(back.journalFailures, s.journalFailures);
    EXPECT_EQ(back.reconciledEnds, s.reconciledEnds);
    EXPECT_EQ(back.gpuEnergyClamped, s.gpuEnergyClamped);
    EXPECT_EQ(back.staleAfterSeconds, s.staleAfterSeconds);
    EXPECT_EQ(backInfo.processor, info.processor);
    EXPECT_EQ(backInfo.clientId, info.clientId);
    EXPECT_EQ(backInfo.intervalMs, info.intervalMs);
    EXPECT_EQ(backInfo.hostPages, info.hostPages);
    EXPECT_TRUE(backInfo.stopped);
}

TEST(LedgerPublisher, TenThousandHostsGoInPagesUnderThePacketSizeAndOnlyChangesAreSent)
{
    RecordingMqttClient client{QStringLiteral("fake-processor")};
    ProcessorSnapshot snap;
    snap.takenNs = 1'764'049'200'000'000'000LL;
    for (int i = 0; i < 10000; ++i) {
        snap.hosts.push_back(
            awkwardHost(QStringLiteral("gpu-%1").arg(i, 5, 10, QLatin1Char('0')), i));
    }
    snap.jobs.push_back(awkwardJob(QStringLiteral("job-a"), 0));
    LedgerPublisherOptions options;
    options.processorName = QStringLiteral("site-a");
    LedgerPublisher publisher(client, nullptr, options);
    publisher.publish(snap);

    const QMap<QByteArray, QByteArray> retained = client.retained();
    const QByteArray pagePrefix = topics::ledgerRoot(QStringLiteral("site-a")) + "hosts/";
    int pages = 0;
    int hosts = 0;
    for (auto it = retained.begin(); it != retained.end(); ++it) {
        if (!it.key().startsWith(pagePrefix)) {
            continue;
        }
        ++pages;
        EXPECT_LE(it.value().size(), options.maxPageBytes);
        EXPECT_LT(it.value().size(), 262144); // packaging/mosquitto's max_packet_size
        hosts += static_cast<int>(unwire(it.value())[QLatin1String("hosts")].toObject().size());
    }
    EXPECT_EQ(hosts, 10000);
    EXPECT_GE(pages, 10000 / options.hostsPerPage);
    for (const RecordingMqttClient::Message &m : client.published) {
        EXPECT_TRUE(m.retain);
    }
    const QJsonObject summary =
        unwire(retained.value(topics::ledgerSummary(QStringLiteral("site-a"))));
    EXPECT_EQ(summary[QLatin1String("host_pages")].toInt(), pages);
    EXPECT_EQ(summary[QLatin1String("hosts")].toInt(), 10000);

    // Only what changed: one host's power -> its page and the summary.
    client.published.clear();
    snap.hosts[5000].watts += 1;
    publisher.publish(snap);
    ASSERT_EQ(client.published.size(), 2);
    EXPECT_TRUE(client.published[0].topic.startsWith(pagePrefix));
    EXPECT_EQ(client.published[1].topic, topics::ledgerSummary(QStringLiteral("site-a")));

    // Fewer hosts and the job gone: the pages no longer needed and the job are cleared.
    client.published.clear();
    snap.hosts.resize(10);
    snap.jobs.clear();
    publisher.publish(snap);
    QMap<QByteArray, QByteArray> cleared;
    for (const RecordingMqttClient::Message &m : client.published) {
        if (m.payload.isEmpty()) {
            cleared.insert(m.topic, m.payload);
        }
    }
    EXPECT_TRUE(
        cleared.contains(topics::ledgerJob(QStringLiteral("site-a"), QStringLiteral("job-a"))));
    EXPECT_EQ(cleared.size(), 1 + (pages - 1));
    EXPECT_FALSE(cleared.contains(topics::ledgerHostPage(QStringLiteral("site-a"), 0)));
}

TEST(LedgerFollower, RebuildsTheSnapshotAndCountsBadPayloadsWithoutApplyingThem)
{
    RecordingMqttClient processorSide{QStringLiteral("fake-processor")};
    ProcessorSnapshot snap;
    snap.takenNs = 1'764'049'200'000'000'000LL;
    snap.accepted = 42;
    snap.jobs = {awkwardJob(QStringLiteral("idle"), 2), awkwardJob(QStringLiteral("job-a"), 1),
                 awkwardJob(QStringLiteral("job-b"), 4)};
    for (int i = 0; i < 600; ++i) {
        snap.hosts.push_back(awkwardHost(QStringLiteral("h%1").arg(i, 4, 10, QLatin1Char('0')), i));
    }
    LedgerPublisherOptions options;
    options.processorName = QStringLiteral("site-a");
    LedgerPublisher publisher(processorSide, nullptr, options);
    publisher.publish(snap);

    RecordingMqttClient viewerSide{QStringLiteral("fake-processor")};
    ManualClock clock(snap.takenNs);
    LedgerFollower follower(viewerSide, clock, QStringLiteral("site-a"));
    follower.start();
    EXPECT_TRUE(
        viewerSide.subscriptions.contains(topics::ledgerRoot(QStringLiteral("site-a")) + "#"));
    // Bad payloads first: counted, never applied, never a crash.
    const QByteArray root = topics::ledgerRoot(QStringLiteral("site-a"));
    follower.handleMessage(root + "jobs/job-a", "{not json");
    follower.handleMessage(root + "jobs/job-a", R"({"job_id":"other","status":"running"})");
    follower.handleMessage(root + "jobs/job-a",
                           R"({"job_id":"job-a","status":"running","kwh":"x"})");
    follower.handleMessage(root + "hosts/99999", R"({"hosts":{}})");
    follower.handleMessage(root + "hosts/0", R"({"hosts":[1,2]})");
    follower.handleMessage(root + "summary", R"([1])");
    follower.handleMessage(root + "elsewhere", "{}");
    follower.handleMessage(QByteArray("greenpulse/ledger/other/summary"), "{}"); // not ours
    EXPECT_EQ(follower.badPayloads(), 7u);

    for (const auto &[topic, payload] : processorSide.retained().toStdMap()) {
        follower.handleMessage(topic, payload);
    }
    follower.refresh();
    const auto view = follower.snapshot();
    ASSERT_EQ(view->jobs.size(), snap.jobs.size());
    EXPECT_EQ(view->jobs[0].jobId, QStringLiteral("idle"));
    for (const JobSummary &job : snap.jobs) {
        const auto it = std::find_if(view->jobs.begin(), view->jobs.end(),
                                     [&](const JobSummary &j) { return j.jobId == job.jobId; });
        ASSERT_NE(it, view->jobs.end());
        expectSameJob(job, *it);
    }
    ASSERT_EQ(view->hosts.size(), snap.hosts.size());
    EXPECT_EQ(Ledger::hostsToJson(view->hosts), Ledger::hostsToJson(snap.hosts));
    EXPECT_EQ(view->accepted, 42u);
    EXPECT_EQ(view->followedProcessor, QStringLiteral("site-a"));
    EXPECT_FALSE(view->followSilent);
    EXPECT_EQ(view->followBadPayloads, 7u);
    EXPECT_TRUE(
        viewerSide.subscriptions.contains(topics::status(QStringLiteral("fake-processor"))));

    // Its presence says offline: silent at once.
    follower.handleMessage(topics::status(QStringLiteral("fake-processor")), "offline");
    follower.refresh();
    EXPECT_TRUE(follower.snapshot()->followSilent);
    EXPECT_TRUE(follower.snapshot()->followOffline);
}

TEST(LedgerFollower, SaysSoWhenTheLedgerGoesSilent)
{
    RecordingMqttClient processorSide{QStringLiteral("fake-processor")};
    ProcessorSnapshot snap;
    snap.takenNs = 1'764'049'200'000'000'000LL;
    LedgerPublisherOptions options;
    options.processorName = QStringLiteral("site-a");
    LedgerPublisher publisher(processorSide, nullptr, options);
    publisher.publish(snap);
    RecordingMqttClient viewerSide{QStringLiteral("fake-processor")};
    ManualClock clock(snap.takenNs);
    LedgerFollower follower(viewerSide, clock, QStringLiteral("site-a"));
    follower.start();
    EXPECT_TRUE(follower.snapshot()->followSilent); // nothing yet
    for (const auto &[topic, payload] : processorSide.retained().toStdMap()) {
        follower.handleMessage(topic, payload);
    }
    follower.refresh();
    EXPECT_FALSE(follower.snapshot()->followSilent);
    clock.advanceSeconds(3 * options.intervalMs / 1000.0 + 1); // three intervals, and more
    follower.refresh();
    EXPECT_TRUE(follower.snapshot()->followSilent);
    EXPECT_FALSE(follower.snapshot()->followOffline);
}

TEST(LedgerFollower, AJobClearedWhileItWasDisconnectedGoesAfterTheReconnect)
{
    RecordingMqttClient processorSide{QStringLiteral("fake-processor")};
    ProcessorSnapshot snap;
    snap.takenNs = 1'764'049'200'000'000'000LL;
    snap.jobs = {awkwardJob(QStringLiteral("stays"), 1), awkwardJob(QStringLiteral("goes"), 3)};
    snap.hosts = {awkwardHost(QStringLiteral("h1"), 1)};
    LedgerPublisherOptions options;
    options.processorName = QStringLiteral("site-a");
    LedgerPublisher publisher(processorSide, nullptr, options);
    publisher.publish(snap);
    RecordingMqttClient viewerSide{QStringLiteral("fake-processor")};
    ManualClock clock(snap.takenNs);
    LedgerFollower follower(viewerSide, clock, QStringLiteral("site-a"));
    follower.start();
    emit viewerSide.connected();
    for (const auto &[topic, payload] : processorSide.retained().toStdMap()) {
        follower.handleMessage(topic, payload);
    }
    clock.advanceSeconds(4);
    follower.refresh();
    ASSERT_EQ(follower.snapshot()->jobs.size(), 2u);

    // Away: "goes" is cleared (an empty retained message the follower never sees); back: the
    // broker sends what it retains, which no longer has it.
    snap.jobs.pop_back();
    snap.takenNs += 4'000'000'000LL;
    publisher.publish(snap);
    emit viewerSide.connected();
    for (const auto &[topic, payload] : processorSide.retained().toStdMap()) {
        follower.handleMessage(topic, payload);
    }
    follower.refresh();
    EXPECT_EQ(follower.snapshot()->jobs.size(), 2u); // kept during the grace time: no flicker
    clock.advanceSeconds(4);
    follower.refresh();
    ASSERT_EQ(follower.snapshot()->jobs.size(), 1u);
    EXPECT_EQ(follower.snapshot()->jobs[0].jobId, QStringLiteral("stays"));
    EXPECT_EQ(follower.snapshot()->hosts.size(), 1u);
}
