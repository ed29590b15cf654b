// Who may end a job (control origins from the topic, owners in the ledger, not_owner), per-host
// topics that vouch for the host (host_mismatch), and the small secret/TLS file checks. Pure
// classes; test_acl.cpp runs the same rules against a real mosquitto with accounts and an ACL.
#include "Samples.h"
#include "accounting/Ledger.h"
#include "base/SecurityChecks.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"
#include "protocol/ControlOrigin.h"
#include "protocol/Protocol.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using greenpulse::test::controlJson;
using greenpulse::test::kSecond;
using greenpulse::test::kT0;

namespace {

ControlMessage decodeControl(const QByteArray &topic, const QByteArray &payload)
{
    const Decoded d = decode(topic, payload, kT0);
    const auto *m = std::get_if<ControlMessage>(&d);
    EXPECT_NE(m, nullptr) << topic.constData();
    return m ? *m : ControlMessage{};
}

RejectReason rejection(const QByteArray &topic, const QByteArray &payload)
{
    const Decoded d = decode(topic, payload, kT0);
    const auto *r = std::get_if<Rejection>(&d);
    EXPECT_NE(r, nullptr) << topic.constData() << " " << payload.constData();
    return r ? r->reason : RejectReason::NotJson;
}

const ControlOrigin kAlice = ControlOrigin::forUser(QStringLiteral("alice"));
const ControlOrigin kBob = ControlOrigin::forUser(QStringLiteral("bob"));

} // namespace

TEST(ControlTopics, TheTopicGivesTheOrigin)
{
    const QByteArray start = controlJson(JobStatus::Start, "J", 0);
    EXPECT_EQ(decodeControl(topics::kControl, start).origin, ControlOrigin::legacy());
    EXPECT_EQ(decodeControl("greenpulse/control/alice", start).origin, kAlice);
    EXPECT_EQ(decodeControl(topics::kOperatorsControl, start).origin, ControlOrigin::operators());
    // A user called "operators" is a user: the operators' topic is elsewhere.
    EXPECT_EQ(decodeControl("greenpulse/control/operators", start).origin,
              ControlOrigin::forUser(QStringLiteral("operators")));
    EXPECT_EQ(topics::control(kAlice), QByteArray("greenpulse/control/alice"));
    EXPECT_EQ(topics::control(ControlOrigin::operators()), QByteArray(topics::kOperatorsControl));
    EXPECT_EQ(topics::control(ControlOrigin::legacy()), QByteArray(topics::kControl));

    EXPECT_EQ(classifyTopic("greenpulse/control/"), TopicKind::Unknown);
    EXPECT_EQ(classifyTopic("greenpulse/control/a/b"), TopicKind::Unknown);
    EXPECT_EQ(rejection("greenpulse/control/a/b", start), RejectReason::UnknownTopic);
    EXPECT_EQ(rejection("greenpulse/control/a\x01", start), RejectReason::BadIdentifier);
    // The origin is not in the payload: a payload cannot claim one.
    EXPECT_FALSE(start.contains("alice"));
}

TEST(ControlTopics, OriginNamesRoundTrip)
{
    for (const ControlOrigin &o : {ControlOrigin::legacy(), ControlOrigin::operators(), kAlice}) {
        EXPECT_EQ(controlOriginFromName(controlOriginName(o)), o);
    }
    EXPECT_EQ(controlOriginName(kAlice), QStringLiteral("user:alice"));
    EXPECT_FALSE(controlOriginFromName(QStringLiteral("user:")).has_value());
    EXPECT_FALSE(controlOriginFromName(QStringLiteral("root")).has_value());
}

TEST(ControlTopics, WhoMayEndWhichJob)
{
    const ControlOrigin legacy = ControlOrigin::legacy();
    const ControlOrigin ops = ControlOrigin::operators();
    EXPECT_TRUE(mayControl(kAlice, kAlice));
    EXPECT_FALSE(mayControl(kAlice, kBob));
    EXPECT_FALSE(mayControl(kAlice, legacy)); // a legacy end does not touch a user's job
    EXPECT_TRUE(mayControl(kAlice, ops));
    EXPECT_TRUE(mayControl(legacy, kBob)); // legacy jobs have no owner
    EXPECT_TRUE(mayControl(legacy, legacy));
    EXPECT_FALSE(mayControl(ops, kAlice));
    EXPECT_TRUE(mayControl(ops, ops));
}

TEST(ControlTopics, PublisherTopicFromTheOption)
{
    const QString none;
    const QString alice = QStringLiteral("alice");
    EXPECT_EQ(controlOriginForPublisher(QStringLiteral("auto"), none), ControlOrigin::legacy());
    EXPECT_EQ(controlOriginForPublisher(QStringLiteral("auto"), alice), kAlice);
    EXPECT_EQ(controlOriginForPublisher(QStringLiteral("user"), alice), kAlice);
    EXPECT_FALSE(controlOriginForPublisher(QStringLiteral("user"), none).has_value());
    EXPECT_EQ(controlOriginForPublisher(QStringLiteral("legacy"), alice), ControlOrigin::legacy());
    EXPECT_EQ(controlOriginForPublisher(QStringLiteral("operators"), none),
              ControlOrigin::operators());
    EXPECT_FALSE(controlOriginForPublisher(QStringLiteral("root"), alice).has_value());
}

TEST(HostTopics, APerHostTopicDoesNotBelieveAnotherHost)
{
    const QByteArray other = R"({"host":"gpu-02","watts":100,"timestamp":1764049200})";
    const QByteArray same = R"({"host":"gpu-01","watts":100,"timestamp":1764049200})";
    for (auto *fn : {&decode, &decodeReference}) {
        const Decoded d = fn("greenpulse/raw/gpu-01/power", other, kT0);
        ASSERT_TRUE(std::holds_alternative<Rejection>(d));
        EXPECT_EQ(std::get<Rejection>(d).reason, RejectReason::HostMismatch);
        EXPECT_TRUE(std::get<Rejection>(d).detail.contains(QLatin1String("gpu-02")));
        const Decoded ok = fn("greenpulse/raw/gpu-01/power", same, kT0);
        ASSERT_TRUE(std::holds_alternative<PowerSample>(ok));
        const Decoded flow =
            fn("greenpulse/raw/gpu-01/flow_temp",
               R"({"host":"gpu-02","flow_lpm":1,"temp_c":20,"timestamp":1764049200})", kT0);
        ASSERT_TRUE(std::holds_alternative<Rejection>(flow));
        EXPECT_EQ(std::get<Rejection>(flow).reason, RejectReason::HostMismatch);
    }
    // The shared topics keep the payload's host (the original contract).
    EXPECT_TRUE(std::holds_alternative<PowerSample>(decode(topics::kPower, other, kT0)));
    EXPECT_STREQ(rejectReasonName(RejectReason::HostMismatch), "host_mismatch");
    EXPECT_STREQ(rejectReasonName(RejectReason::NotOwner), "not_owner");
}

TEST(LedgerOwnership, OnlyTheOwnerOrOperatorsEndAJob)
{
    ManualClock clock{kT0 + 100 * kSecond};
    Ledger ledger(LedgerConfig{}, clock);
    ControlMessage start =
        decodeControl("greenpulse/control/alice", controlJson(JobStatus::Start, "J", 0));
    ASSERT_EQ(ledger.applyControl(start), Ledger::Result::Accepted);
    EXPECT_EQ(ledger.jobOwner(QStringLiteral("J")), kAlice);

    ControlMessage end =
        decodeControl("greenpulse/control/bob", controlJson(JobStatus::End, "J", 5));
    EXPECT_EQ(ledger.applyControl(end), Ledger::Result::NotOwner);
    end.origin = ControlOrigin::legacy();
    EXPECT_EQ(ledger.applyControl(end), Ledger::Result::NotOwner);
    EXPECT_TRUE(ledger.job(QStringLiteral("J"))->running);
    // A repeated start from someone else changes nothing and is not an error.
    start.origin = kBob;
    EXPECT_EQ(ledger.applyControl(start), Ledger::Result::Accepted);
    EXPECT_EQ(ledger.jobOwner(QStringLiteral("J")), kAlice);

    // The owner survives a save and restore.
    Ledger restored(LedgerConfig{}, clock);
    QString error;
    ASSERT_TRUE(restored.restore(ledger.toJson(), &error)) << error.toStdString();
    EXPECT_EQ(restored.jobOwner(QStringLiteral("J")), kAlice);
    end.origin = kBob;
    EXPECT_EQ(restored.applyControl(end), Ledger::Result::NotOwner);

    end.origin = ControlOrigin::operators();
    EXPECT_EQ(ledger.applyControl(end), Ledger::Result::Accepted);
    EXPECT_FALSE(ledger.job(QStringLiteral("J"))->running);
    // Someone else may not reopen it either.
    start.origin = kBob;
    EXPECT_EQ(ledger.applyControl(start), Ledger::Result::NotOwner);
    EXPECT_FALSE(ledger.job(QStringLiteral("J"))->running);
}

TEST(LedgerOwnership, LegacyJobsHaveNoOwner)
{
    ManualClock clock{kT0 + 100 * kSecond};
    Ledger ledger(LedgerConfig{}, clock);
    ASSERT_EQ(
        ledger.applyControl(decodeControl(topics::kControl, controlJson(JobStatus::Start, "L", 0))),
        Ledger::Result::Accepted);
    EXPECT_EQ(ledger.applyControl(
                  decodeControl("greenpulse/control/bob", controlJson(JobStatus::End, "L", 3))),
              Ledger::Result::Accepted);
    EXPECT_FALSE(ledger.job(QStringLiteral("L"))->running);
}

TEST(ProcessorOwnership, RefusalsAreCountedAndLegacyCanBeSwitchedOff)
{
    ManualClock clock{kT0 + 100 * kSecond};
    Ledger ledger(LedgerConfig{}, clock);
    MosquittoClient mqtt{MqttOptions{}}; // never connected: messages are fed directly
    ProcessorOptions options;
    options.acceptLegacyControl = false;
    Processor processor(ledger, mqtt, clock, options);
    processor.handleMessage("greenpulse/control/alice", controlJson(JobStatus::Start, "J", 0));
    processor.handleMessage("greenpulse/control/bob", controlJson(JobStatus::End, "J", 5));
    processor.handleMessage(topics::kControl, controlJson(JobStatus::End, "J", 6));
    processor.handleMessage(topics::kControl, controlJson(JobStatus::Start, "K", 6));
    EXPECT_EQ(processor.rejections().count(RejectReason::NotOwner), 3u);
    EXPECT_TRUE(ledger.job(QStringLiteral("J"))->running);
    EXPECT_FALSE(ledger.job(QStringLiteral("K")).has_value());
    const QJsonObject byReason =
        processor.countersJson().value(QLatin1String("by_reason")).toObject();
    EXPECT_EQ(byReason.value(QLatin1String("not_owner")).toInt(), 3) << "counters JSON";
    processor.handleMessage(topics::kOperatorsControl, controlJson(JobStatus::End, "J", 7));
    EXPECT_FALSE(ledger.job(QStringLiteral("J"))->running);
}

TEST(Secrets, RedactUrlHidesOnlyThePassword)
{
    EXPECT_EQ(redactUrl(QStringLiteral("http://admin:s3cret@influx:8086/x")),
              QStringLiteral("http://admin:***@influx:8086/x"));
    EXPECT_EQ(redactUrl(QStringLiteral("tcp://u:p/w@d@broker:1883")),
              QStringLiteral("tcp://u:***@broker:1883"));
    EXPECT_EQ(redactUrl(QStringLiteral("u:pw@broker:1883")), QStringLiteral("u:***@broker:1883"));
    EXPECT_EQ(redactUrl(QStringLiteral("tcp://user@broker:1883")),
              QStringLiteral("tcp://user@broker:1883"));
    EXPECT_EQ(redactUrl(QStringLiteral("tcp://127.0.0.1:1883")),
              QStringLiteral("tcp://127.0.0.1:1883"));
    EXPECT_EQ(redactUrl(QString()), QString());

    QString error;
    MqttBrokerAddress address;
    EXPECT_FALSE(
        parseMqttBrokerUrl(QStringLiteral("tcp://u:hunter2@h:1"), false, &address, &error));
    EXPECT_FALSE(error.contains(QLatin1String("hunter2"))) << error.toStdString();
}

TEST(Secrets, PemFileProblems)
{
    QTemporaryDir dir;
    EXPECT_TRUE(pemFileProblem(dir.filePath(QStringLiteral("nope.crt")))
                    ->contains(QLatin1String("does not exist")));
    EXPECT_TRUE(pemFileProblem(dir.path())->contains(QLatin1String("not a file")));
    QFile junk(dir.filePath(QStringLiteral("junk.crt")));
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write("hello");
    junk.close();
    EXPECT_TRUE(pemFileProblem(junk.fileName())->contains(QLatin1String("not a PEM")));
    QFile pem(dir.filePath(QStringLiteral("ca.crt")));
    ASSERT_TRUE(pem.open(QIODevice::WriteOnly));
    pem.write("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    pem.close();
    EXPECT_FALSE(pemFileProblem(pem.fileName()).has_value());
}
