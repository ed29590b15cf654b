// One ledger, many viewers: the real greenpulse-processor publishes its ledger on a real
// mosquitto, and a follower started late shows its totals to the last digit (compared with the
// processor's own exit summary); a job that leaves its ledger and a host that expires clear
// their retained topics.
#include "ProcessorStack.h"
#include "Samples.h"
#include "TestSupport.h"
#include "accounting/Ledger.h"
#include "base/Clock.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/LedgerFollower.h"
#include "protocol/Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

const QString kName = QStringLiteral("site-a");

// A broker, the processor publishing its ledger as "site-a", and a publisher of samples.
struct Stack : ProcessorStack
{
    bool start(const QStringList &extraArgs = {})
    {
        return ProcessorStack::start(QStringLiteral("follow"),
                                     QStringList{QStringLiteral("--processor-name"), kName,
                                                 QStringLiteral("--ledger-interval-s"),
                                                 QStringLiteral("0.5")} +
                                         extraArgs);
    }
    void control(JobStatus status, const QString &job, const QString &host)
    {
        publisher->publish(QByteArray(topics::kControl),
                           encode(controlAt(status, job, host, nowNs())), 1, false);
    }
    // `seconds` of 5 Hz power (odd values) and coolant samples from `hosts`.
    void samples(const QStringList &hosts, double seconds)
    {
        for (int i = 0; i < seconds * 5; ++i) {
            for (int h = 0; h < hosts.size(); ++h) {
                const double watts = 301.7 + 17.3 * h + 0.13 * i;
                publisher->publish(QByteArray(topics::kPower),
                                   encode(powerAt(hosts[h], watts, nowNs())), 1, false);
                FlowTempSample f;
                f.host = hosts[h];
                f.flowLpm = 3.1 + 0.07 * h;
                f.tempC = 31.3 + 0.1 * i;
                f.timestampNs = nowNs();
                publisher->publish(QByteArray(topics::kFlowTemp), encode(f), 1, false);
            }
            spin(200);
        }
    }
};

// A follower of "site-a" on its own connection, as a dashboard in follow mode has.
struct Viewer
{
    SystemClock clock;
    std::unique_ptr<MosquittoClient> mqtt;
    std::unique_ptr<LedgerFollower> follower;

    explicit Viewer(const QString &url)
    {
        MqttOptions o;
        o.brokerUrl = url;
        o.clientId = QStringLiteral("follow-viewer");
        mqtt = std::make_unique<MosquittoClient>(o);
        follower = std::make_unique<LedgerFollower>(*mqtt, clock, kName);
        follower->setSnapshotIntervalMs(100);
        follower->start();
        mqtt->connectToBroker();
    }
    std::optional<JobSummary> job(const QString &id) const
    {
        for (const JobSummary &j : follower->snapshot()->jobs) {
            if (j.jobId == id) {
                return j;
            }
        }
        return std::nullopt;
    }
    bool hasHost(const QString &host) const
    {
        for (const HostSummary &h : follower->snapshot()->hosts) {
            if (h.host == host) {
                return true;
            }
        }
        return false;
    }
};

QJsonObject jobOf(const QJsonObject &out, const QString &id)
{
    for (const QJsonValue &v : out.value(QLatin1String("jobs")).toArray()) {
        if (v[QLatin1String("job_id")].toString() == id) {
            return v.toObject();
        }
    }
    return {};
}

// What a fresh subscriber gets retained on `filter` (mosquitto_sub --retained-only).
QList<QPair<QByteArray, QByteArray>> retainedOn(const QString &url, const QString &filter)
{
    MosquittoSubscriber sub;
    if (!sub.start(url, filter, {QStringLiteral("--retained-only")})) {
        ADD_FAILURE() << "mosquitto_sub did not start";
        return {};
    }
    spin(1500);
    QList<QPair<QByteArray, QByteArray>> out = sub.messages();
    sub.stop();
    return out;
}

} // namespace

TEST(LedgerFollow, AFollowerStartedLateShowsTheProcessorsTotalsToTheLastDigit)
{
    Stack stack;
    ASSERT_TRUE(stack.start());
    const QStringList hosts{QStringLiteral("gpu-1"), QStringLiteral("gpu-2"),
                            QStringLiteral("gpu-3")};
    stack.control(JobStatus::Start, QStringLiteral("train-a"), QStringLiteral("gpu-1"));
    stack.control(JobStatus::Start, QStringLiteral("train-b"), QStringLiteral("gpu-2"));
    spin(300);
    stack.samples(hosts, 3);
    stack.control(JobStatus::End, QStringLiteral("train-a"), QStringLiteral("gpu-1"));
    stack.samples(hosts, 1);
    spin(1500); // the processor has taken everything; nothing changes its totals from here

    // The viewer starts only now: everything it shows comes from the retained ledger.
    Viewer viewer(stack.broker.url());
    ASSERT_TRUE(waitUntil(
        [&] {
            return viewer.job(QStringLiteral("train-a")) && viewer.job(QStringLiteral("train-b")) &&
                   viewer.follower->snapshot()->hosts.size() == 3;
        },
        10000))
        << viewer.follower->lastProblem().toStdString();
    EXPECT_FALSE(viewer.follower->snapshot()->followSilent);
    EXPECT_EQ(viewer.follower->snapshot()->mqttState, ConnectionState::Connected);

    const QJsonObject out = stack.stop();
    ASSERT_FALSE(out.isEmpty());
    // Its last summary before stopping carries the totals of the exit summary.
    ASSERT_TRUE(waitUntil([&] { return viewer.follower->snapshot()->followStopped; }, 10000));
    const auto seen = viewer.follower->snapshot();
    EXPECT_TRUE(seen->followSilent);
    EXPECT_EQ(viewer.follower->badPayloads(), 0u);

    for (const QString &id : {QStringLiteral("train-a"), QStringLiteral("train-b")}) {
        const std::optional<JobSummary> job = viewer.job(id);
        ASSERT_TRUE(job);
        QJsonObject theirs = jobOf(out, id);
        ASSERT_FALSE(theirs.isEmpty()) << id.toStdString();
        QJsonObject ours = Ledger::jobToJson(*job);
        if (job->running) {
            // A running job's duration is counted up to the instant of each report.
            theirs.remove(QLatin1String("duration_s"));
            ours.remove(QLatin1String("duration_s"));
        }
        // Every field, numbers compared as doubles: equal to the last digit.
        EXPECT_EQ(ours, theirs) << id.toStdString()
                                << "\nfollower:  " << QJsonDocument(ours).toJson().toStdString()
                                << "\nprocessor: " << QJsonDocument(theirs).toJson().toStdString();
        EXPECT_GT(job->kwh, 0.0);
        EXPECT_GT(job->liters, 0.0);
    }
    const QJsonObject counters = out[QLatin1String("counters")].toObject();
    EXPECT_EQ(Ledger::hostsToJson(seen->hosts), counters[QLatin1String("hosts")].toObject());
    EXPECT_EQ(static_cast<qint64>(seen->accepted), counters[QLatin1String("accepted")].toInteger());
    EXPECT_EQ(static_cast<qint64>(seen->rejected), counters[QLatin1String("rejected")].toInteger());
    // The processor ignored its own ledger topics (they echo back on greenpulse/#).
    EXPECT_EQ(counters[QLatin1String("rejected")].toInteger(), 0)
        << QJsonDocument(counters).toJson().toStdString();
}

TEST(LedgerFollow, AJobLeavingTheLedgerAndAnExpiredHostClearTheirTopics)
{
    Stack stack;
    // Ended jobs and silent hosts leave memory within seconds.
    ASSERT_TRUE(stack.start({QStringLiteral("--host-expiry-s"), QStringLiteral("3"),
                             QStringLiteral("--max-clock-behind-s"), QStringLiteral("1")}));
    const QString job = QStringLiteral("short-job");
    stack.control(JobStatus::Start, job, QStringLiteral("gpu-1"));
    spin(300);
    stack.samples({QStringLiteral("gpu-1"), QStringLiteral("gpu-2")}, 2);
    stack.control(JobStatus::End, job, QStringLiteral("gpu-1"));
    stack.samples({QStringLiteral("gpu-1"), QStringLiteral("gpu-2")}, 1);

    Viewer viewer(stack.broker.url());
    ASSERT_TRUE(waitUntil(
        [&] { return viewer.job(job) && viewer.hasHost(QStringLiteral("gpu-2")); }, 10000));
    const QString jobTopic = QStringLiteral("greenpulse/ledger/site-a/jobs/") + job;
    bool retained = false;
    for (const auto &m : retainedOn(stack.broker.url(), jobTopic)) {
        retained = retained || !m.second.isEmpty();
    }
    EXPECT_TRUE(retained);

    // gpu-1 keeps reporting (idle); gpu-2 falls silent and expires; the ended job is forgotten.
    ASSERT_TRUE(waitUntil(
        [&] {
            stack.samples({QStringLiteral("gpu-1")}, 0.4);
            return !viewer.job(job) && !viewer.hasHost(QStringLiteral("gpu-2"));
        },
        30000))
        << stack.processor.readStderr().toStdString();
    EXPECT_TRUE(viewer.hasHost(QStringLiteral("gpu-1")));
    for (const auto &m : retainedOn(stack.broker.url(), QStringLiteral("greenpulse/ledger/#"))) {
        EXPECT_NE(m.first, jobTopic.toUtf8()) << "still retained: " << m.first.toStdString();
        if (m.first.contains("/hosts/")) { // (the idle job still names the hosts it had)
            EXPECT_FALSE(m.second.contains("\"gpu-2\"")) << m.first.toStdString();
        }
    }
    const QJsonObject out = stack.stop();
    const QJsonObject ledger = out[QLatin1String("counters")][QLatin1String("ledger")].toObject();
    EXPECT_GE(ledger[QLatin1String("jobs_forgotten")].toInt(), 1);
    EXPECT_GE(ledger[QLatin1String("hosts_expired")].toInt(), 1);
}
