// greenpulse-grid, the program, against a real mosquitto: --provider file publishes each zone's
// value retained when its row takes over (a schedule in the near future, changing every 2 s),
// a later subscriber reads the values in force back from the broker, and the exit summary
// counts them; --provider electricitymaps against a local server replaying the documented answer
// (no internet here) never shows its token; a bad schedule stops it with the line number.
#include "FakeHttpServer.h"
#include "MosquittoBroker.h"
#include "Samples.h"
#include "TestSupport.h"
#include "mqtt/MosquittoClient.h"
#include "protocol/Protocol.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimeZone>
#include <gtest/gtest.h>

using namespace greenpulse;
using core::TimeNs;

namespace {

constexpr TimeNs kS = 1'000'000'000LL;
const QString kGrid = QStringLiteral("greenpulse-grid");

struct Seen
{
    core::GridIntensity intensity;
    TimeNs receivedNs = 0;
};

// The grid messages `sub` has, decoded, with when this test first saw each.
class GridWatcher
{
public:
    explicit GridWatcher(test::MosquittoSubscriber &sub) : m_sub(sub) {}
    const QList<Seen> &poll()
    {
        const auto messages = m_sub.messages();
        for (qsizetype i = m_seen.size(); i < messages.size(); ++i) {
            const core::Decoded d = core::decode(messages[i].first, messages[i].second, 1);
            Seen seen;
            seen.receivedNs = test::nowNs();
            if (const auto *g = std::get_if<core::GridIntensity>(&d)) {
                seen.intensity = *g;
            } else {
                ADD_FAILURE() << "not a grid message: " << messages[i].second.toStdString();
            }
            m_seen.append(seen);
        }
        return m_seen;
    }
    qsizetype count(const QString &zone)
    {
        poll();
        return std::count_if(m_seen.begin(), m_seen.end(),
                             [&](const Seen &s) { return s.intensity.zone == zone; });
    }

private:
    test::MosquittoSubscriber &m_sub;
    QList<Seen> m_seen;
};

QString epoch(TimeNs ns)
{
    return QString::number(ns / 1'000'000); // milliseconds, as the wire contract reads them
}

QJsonObject summaryOf(const QByteArray &stdoutBytes)
{
    return QJsonDocument::fromJson(stdoutBytes).object();
}

} // namespace

TEST(GridProgram, FileScheduleIsPublishedRetainedWhenEachRowTakesOver)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url(), QStringLiteral("greenpulse/grid/#")));
    QTemporaryDir dir;
    // Whole seconds from now: A changes every 2 s, B is in force already.
    const TimeNs t0 = (test::nowNs() / kS + 3) * kS;
    QFile file(dir.filePath(QStringLiteral("schedule.csv")));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral("zone,from,to,g_co2e_per_kwh\n"
                              "B,%1,,42\n"
                              "A,%2,%3,100\n"
                              "A,%3,%4,300\n"
                              "A,%4,,500\n")
                   .arg(epoch(t0 - 60 * kS), epoch(t0), epoch(t0 + 2 * kS), epoch(t0 + 4 * kS))
                   .toUtf8());
    file.close();

    test::Child grid;
    ASSERT_TRUE(
        grid.start(test::binary(kGrid),
                   {QStringLiteral("--broker"), broker.url(), QStringLiteral("--provider"),
                    QStringLiteral("file"), QStringLiteral("--schedule"), file.fileName()}));
    GridWatcher watcher(sub);
    ASSERT_TRUE(test::waitUntil([&] { return watcher.count(QStringLiteral("A")) >= 3; }, 15000))
        << grid.readStderr().toStdString();
    test::spin(300);
    const QList<Seen> seen = watcher.poll();
    QList<Seen> a;
    for (const Seen &s : seen) {
        if (s.intensity.zone == QLatin1String("B")) {
            EXPECT_EQ(s.intensity.gCo2ePerKwh, 42);
            EXPECT_EQ(s.intensity.timestampNs, t0 - 60 * kS); // the row's from
            EXPECT_LT(s.receivedNs, t0); // in force at start: published at once
        } else {
            a.append(s);
        }
    }
    EXPECT_EQ(watcher.count(QStringLiteral("B")), 1); // never the same value twice
    ASSERT_EQ(a.size(), 3);
    const double values[] = {100, 300, 500};
    for (int i = 0; i < 3; ++i) {
        const TimeNs from = t0 + i * 2 * kS;
        EXPECT_EQ(a[i].intensity.gCo2ePerKwh, values[i]);
        EXPECT_EQ(a[i].intensity.timestampNs, from);
        EXPECT_EQ(a[i].intensity.source, QStringLiteral("file"));
        EXPECT_FALSE(a[i].intensity.timestampFromReceipt);
        // Published when the row takes over: not before (the ledger would apply it early)...
        EXPECT_GE(a[i].receivedNs, from);
        // ...and not a poll interval later (generous bound for a loaded machine).
        EXPECT_LT(a[i].receivedNs, from + 1500'000'000LL);
    }

    ASSERT_TRUE(grid.terminate());
    EXPECT_EQ(grid.exitCode(), 0);
    const QJsonObject summary = summaryOf(grid.readStdout());
    const QJsonObject counters = summary.value(QStringLiteral("counters")).toObject();
    EXPECT_EQ(counters.value(QStringLiteral("published")).toInt(), 4);
    EXPECT_EQ(summary.value(QStringLiteral("zones"))
                  .toObject()
                  .value(QStringLiteral("A"))
                  .toObject()
                  .value(QStringLiteral("g_co2e_per_kwh"))
                  .toDouble(),
              500);

    // A subscriber that comes later reads the values in force from the broker (retained).
    test::MosquittoSubscriber late;
    ASSERT_TRUE(late.start(broker.url(), QStringLiteral("greenpulse/grid/#")));
    GridWatcher lateWatcher(late);
    ASSERT_TRUE(test::waitUntil([&] { return lateWatcher.poll().size() >= 2; }, 5000));
    for (const Seen &s : lateWatcher.poll()) {
        if (s.intensity.zone == QLatin1String("A")) {
            EXPECT_EQ(s.intensity.gCo2ePerKwh, 500);
            EXPECT_EQ(s.intensity.timestampNs, t0 + 4 * kS);
        } else {
            EXPECT_EQ(s.intensity.gCo2ePerKwh, 42);
        }
    }
}

TEST(GridProgram, ABadScheduleStopsItWithTheLineNumber)
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("bad.csv")));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("DE,2025-11-25T00:00Z,2025-11-25T01:00Z,300\nDE,2025-11-25T02:00Z,,lots\n");
    file.close();
    const test::ProcessResult r = test::run(
        test::binary(kGrid), {QStringLiteral("--broker"), QStringLiteral("tcp://127.0.0.1:1"),
                              QStringLiteral("--schedule"), file.fileName()});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("line 2: g_co2e_per_kwh \"lots\"")) << r.err.toStdString();
    const test::ProcessResult noZone =
        test::run(test::binary(kGrid), {QStringLiteral("--provider"), QStringLiteral("uk"),
                                        QStringLiteral("--zone"), QStringLiteral("FR")});
    EXPECT_EQ(noZone.exitCode, 2);
    EXPECT_TRUE(noZone.err.contains("GB-1 ... GB-17")) << noZone.err.toStdString();
}

TEST(GridProgram, ElectricityMapsThroughTheProgramNeverShowsTheToken)
{
    const QString token = QStringLiteral("em-secret-77d1e0");
    const QStringList env{QStringLiteral("GREENPULSE_ELECTRICITYMAPS_TOKEN=") + token};
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listen());
    const TimeNs hour = test::nowNs() / (3600 * kS) * (3600 * kS);
    const QString datetime = QDateTime::fromMSecsSinceEpoch(hour / 1'000'000, QTimeZone::utc())
                                 .toString(Qt::ISODateWithMs);
    test::FakeHttpServer::Response answer;
    answer.status = 200;
    answer.body = QStringLiteral(R"({"zone":"DE","carbonIntensity":412,"datetime":"%1",)"
                                 R"("emissionFactorType":"lifecycle","isEstimated":true})")
                      .arg(datetime)
                      .toUtf8();
    http.setDefault(answer);
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url(), QStringLiteral("greenpulse/grid/#")));
    const QStringList args{QStringLiteral("--broker"),
                           broker.url(),
                           QStringLiteral("--provider"),
                           QStringLiteral("electricitymaps"),
                           QStringLiteral("--zone"),
                           QStringLiteral("DE"),
                           QStringLiteral("--electricitymaps-url"),
                           http.url()};

    const test::ProcessResult printed = test::run(
        test::binary(kGrid), args + QStringList{QStringLiteral("--print-config")}, 30000, env);
    EXPECT_EQ(printed.exitCode, 0);
    EXPECT_TRUE(printed.out.contains("electricitymaps-token=********  (environment)"))
        << printed.out.toStdString();
    EXPECT_FALSE(printed.out.contains(token.toUtf8()));

    test::Child grid;
    ASSERT_TRUE(grid.start(test::binary(kGrid), args, env));
    GridWatcher watcher(sub);
    ASSERT_TRUE(test::waitUntil([&] { return watcher.count(QStringLiteral("DE")) >= 1; }, 10000))
        << grid.readStderr().toStdString();
    const core::GridIntensity i = watcher.poll().first().intensity;
    EXPECT_EQ(i.gCo2ePerKwh, 412);
    EXPECT_EQ(i.timestampNs, hour);
    EXPECT_TRUE(i.estimated);
    EXPECT_EQ(i.source, QStringLiteral("electricitymaps"));
    ASSERT_TRUE(grid.terminate());
    EXPECT_EQ(http.requestCount(), 1); // hourly data: no second request within the hour
    EXPECT_EQ(http.requests().first().headers.value("auth-token"), token.toUtf8());
    const QByteArray err = grid.readStderr();
    const QByteArray out = grid.readStdout();
    EXPECT_FALSE(err.contains(token.toUtf8()));
    EXPECT_FALSE(out.contains(token.toUtf8()));
    const QJsonObject counters = summaryOf(out).value(QStringLiteral("counters")).toObject();
    EXPECT_EQ(counters.value(QStringLiteral("requests")).toInt(), 1);
    EXPECT_EQ(counters.value(QStringLiteral("published")).toInt(), 1);
}

TEST(GridProgram, UnderTheShippedAclOnlyTheGridAccountPublishesIntensity)
{
    QFile aclFile(QStringLiteral(GREENPULSE_SOURCE_DIR "/packaging/mosquitto/greenpulse-acl.conf"));
    ASSERT_TRUE(aclFile.open(QIODevice::ReadOnly));
    test::MosquittoBroker::Config config;
    config.accounts = {{QStringLiteral("greenpulse-grid"), QStringLiteral("gg")},
                       {QStringLiteral("gpu-01"), QStringLiteral("aa")},
                       {QStringLiteral("greenpulse-processor"), QStringLiteral("pp")}};
    config.acl = aclFile.readAll();
    test::MosquittoBroker broker(config);
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url(), QStringLiteral("greenpulse/grid/#"),
                          {QStringLiteral("-u"), QStringLiteral("greenpulse-processor"),
                           QStringLiteral("-P"), QStringLiteral("pp")}));
    // A host account tries to set its own zone's intensity: the broker drops it.
    core::MqttOptions o;
    o.brokerUrl = broker.url();
    o.clientId = QStringLiteral("acl-gpu-01");
    o.username = QStringLiteral("gpu-01");
    o.password = QStringLiteral("aa");
    core::MosquittoClient host(o);
    host.connectToBroker();
    ASSERT_TRUE(
        test::waitUntil([&] { return host.state() == core::ConnectionState::Connected; }, 10000));
    core::GridIntensity fake;
    fake.zone = QStringLiteral("DE");
    fake.gCo2ePerKwh = 1;
    fake.timestampNs = test::nowNs();
    host.publish(core::topics::gridCarbonIntensity(fake.zone), core::encode(fake), 1, true);
    ASSERT_TRUE(test::waitUntil([&] { return host.isIdle(); }, 10000));

    // greenpulse-grid under its account publishes.
    QTemporaryDir dir;
    QFile schedule(dir.filePath(QStringLiteral("s.csv")));
    ASSERT_TRUE(schedule.open(QIODevice::WriteOnly));
    schedule.write(QStringLiteral("DE,%1,,350\n").arg(epoch(test::nowNs() - 60 * kS)).toUtf8());
    schedule.close();
    test::Child grid;
    ASSERT_TRUE(
        grid.start(test::binary(kGrid),
                   {QStringLiteral("--broker"), broker.url(), QStringLiteral("--username"),
                    QStringLiteral("greenpulse-grid"), QStringLiteral("--schedule"),
                    schedule.fileName(), QStringLiteral("--config"), QStringLiteral("/dev/null")},
                   {QStringLiteral("GREENPULSE_PASSWORD=gg")}));
    GridWatcher watcher(sub);
    ASSERT_TRUE(test::waitUntil([&] { return watcher.count(QStringLiteral("DE")) >= 1; }, 10000))
        << grid.readStderr().toStdString();
    test::spin(300);
    ASSERT_EQ(watcher.count(QStringLiteral("DE")), 1); // the host's value never arrived
    EXPECT_EQ(watcher.poll().first().intensity.gCo2ePerKwh, 350);
    ASSERT_TRUE(grid.terminate());
}

TEST(GridProgram, RefusedCredentialsExitWithCodeOne)
{
    test::MosquittoBroker::Config config;
    config.accounts = {{QStringLiteral("greenpulse-grid"), QStringLiteral("gg")}};
    test::MosquittoBroker broker(config);
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    QTemporaryDir dir;
    QFile schedule(dir.filePath(QStringLiteral("s.csv")));
    ASSERT_TRUE(schedule.open(QIODevice::WriteOnly));
    schedule.write(QStringLiteral("DE,%1,,350\n").arg(epoch(test::nowNs() - 60 * kS)).toUtf8());
    schedule.close();
    const test::ProcessResult r =
        test::run(test::binary(kGrid),
                  {QStringLiteral("--broker"), broker.url(), QStringLiteral("--username"),
                   QStringLiteral("greenpulse-grid"), QStringLiteral("--schedule"),
                   schedule.fileName(), QStringLiteral("--config"), QStringLiteral("/dev/null")},
                  20000, {QStringLiteral("GREENPULSE_PASSWORD=pw-9f1c-not-it")});
    EXPECT_FALSE(r.timedOut);
    EXPECT_EQ(r.exitCode, 1) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("pw-9f1c")); // the password is never logged
}
