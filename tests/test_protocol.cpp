// The wire contract: every accepted form, every rejection reason, encoders and round trips, and
// the rejection counter. See docs/protocol.md.
#include "base/Logging.h"
#include "protocol/Protocol.h"
#include "pipeline/RejectionCounter.h"

#include <QJsonObject>
#include <QStringList>
#include <QThread>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace greenpulse::core;

namespace {

constexpr TimeNs kReceipt = 1'764'049'999'000'000'000;
constexpr const char *kPowerPayload = R"({"host": "gpu-server-01", "watts": 412.35, )"
                                      R"("job_id": "Initial_Model_Train_1764049200_a1b2c3", )"
                                      R"("timestamp": 1764049200.125})";

Decoded decodeText(const char *topic, const QByteArray &payload)
{
    return decode(QByteArrayView(topic), payload, kReceipt);
}

template <typename T> T accepted(const char *topic, const QByteArray &payload)
{
    const Decoded decoded = decodeText(topic, payload);
    if (const auto *rejection = std::get_if<Rejection>(&decoded)) {
        ADD_FAILURE() << "rejected " << topic << " " << payload.constData() << ": "
                      << rejectReasonName(rejection->reason) << ": "
                      << rejection->detail.toStdString();
        return T{};
    }
    const T *value = std::get_if<T>(&decoded);
    EXPECT_NE(value, nullptr) << "decoded to another kind: " << payload.constData();
    return value ? *value : T{};
}

std::optional<RejectReason> rejection(const char *topic, const QByteArray &payload)
{
    const Decoded decoded = decodeText(topic, payload);
    const auto *rejected = std::get_if<Rejection>(&decoded);
    if (!rejected)
        return std::nullopt;
    EXPECT_FALSE(rejected->detail.isEmpty()) << "a rejection always explains itself";
    return rejected->reason;
}

} // namespace

// --- accepted forms ---

TEST(ProtocolDecode, PowerAsPublishedByPython)
{
    const auto s = accepted<PowerSample>(topics::kPower, kPowerPayload);
    EXPECT_EQ(s.host, QStringLiteral("gpu-server-01"));
    EXPECT_DOUBLE_EQ(s.watts, 412.35);
    EXPECT_EQ(s.jobId, QStringLiteral("Initial_Model_Train_1764049200_a1b2c3"));
    EXPECT_EQ(s.timestampNs, 1'764'049'200'125'000'000);
    EXPECT_FALSE(s.timestampFromReceipt);
}

TEST(ProtocolDecode, PowerJobIdNullOrMissing)
{
    const auto withNull = accepted<PowerSample>(
        topics::kPower, R"({"host":"h","watts":1,"job_id":null,"timestamp":1764049200})");
    EXPECT_TRUE(withNull.jobId.isEmpty());
    const auto without =
        accepted<PowerSample>(topics::kPower, R"({"host":"h","watts":0,"timestamp":1764049200})");
    EXPECT_TRUE(without.jobId.isEmpty());
    EXPECT_EQ(without.watts, 0.0);
}

TEST(ProtocolDecode, MissingOrNullTimestampUsesReceiptTime)
{
    for (const char *payload :
         {R"({"host":"h","watts":5})", R"({"host":"h","watts":5,"timestamp":null})"}) {
        const auto s = accepted<PowerSample>(topics::kPower, payload);
        EXPECT_EQ(s.timestampNs, kReceipt);
        EXPECT_TRUE(s.timestampFromReceipt);
    }
    const auto f =
        accepted<FlowTempSample>(topics::kFlowTemp, R"({"host":"h","flow_lpm":1,"temp_c":2})");
    EXPECT_EQ(f.timestampNs, kReceipt);
    EXPECT_TRUE(f.timestampFromReceipt);
    const auto c = accepted<ControlMessage>(topics::kControl, R"({"status":"start","job_id":"j"})");
    EXPECT_EQ(c.timestampNs, kReceipt);
    EXPECT_TRUE(c.timestampFromReceipt);
}

TEST(ProtocolDecode, ExtraKeysAndWhitespaceAreIgnored)
{
    const auto s = accepted<PowerSample>(
        topics::kPower,
        " \n{\"host\":\"h\",\"watts\":7,\"gpu\":{\"util\":[1,2]},\"note\":null,\"v\":2}\n ");
    EXPECT_EQ(s.watts, 7.0);
    const auto c = accepted<ControlMessage>(
        topics::kControl, R"({"status":"end","job_id":"j","timestamp":1764049200,"user":"ann"})");
    EXPECT_EQ(c.status, JobStatus::End);
}

TEST(ProtocolDecode, FlowTemp)
{
    const auto f = accepted<FlowTempSample>(
        topics::kFlowTemp,
        R"({"host": "gpu-server-01", "flow_lpm": 1.234, "temp_c": 27.51, "timestamp": 1764049200.5})");
    EXPECT_EQ(f.host, QStringLiteral("gpu-server-01"));
    EXPECT_DOUBLE_EQ(f.flowLpm, 1.234);
    EXPECT_DOUBLE_EQ(f.tempC, 27.51);
    EXPECT_EQ(f.timestampNs, 1'764'049'200'500'000'000);
    // Temperatures may be negative; -50 and 150 are the inclusive limits; no flow is fine.
    EXPECT_EQ(
        accepted<FlowTempSample>(topics::kFlowTemp, R"({"host":"h","flow_lpm":0,"temp_c":-12.5})")
            .tempC,
        -12.5);
    accepted<FlowTempSample>(topics::kFlowTemp, R"({"host":"h","flow_lpm":2,"temp_c":-50})");
    accepted<FlowTempSample>(topics::kFlowTemp, R"({"host":"h","flow_lpm":2,"temp_c":150})");
}

TEST(ProtocolDecode, Control)
{
    const auto start = accepted<ControlMessage>(
        topics::kControl,
        R"({"status": "start", "job_id": "Initial_Model_Train_1764049200_a1b2c3", "timestamp": 1764049200, "host": "gpu-server-01"})");
    EXPECT_EQ(start.status, JobStatus::Start);
    EXPECT_EQ(start.jobId, QStringLiteral("Initial_Model_Train_1764049200_a1b2c3"));
    EXPECT_EQ(start.host, QStringLiteral("gpu-server-01"));
    EXPECT_EQ(start.timestampNs, 1'764'049'200'000'000'000);
    EXPECT_FALSE(start.exitCode.has_value());

    const auto end = accepted<ControlMessage>(
        topics::kControl,
        R"({"status":"end","job_id":"legacy job #7","timestamp":1764049260,"exit_code":-2})");
    EXPECT_EQ(end.status, JobStatus::End);
    EXPECT_EQ(end.jobId, QStringLiteral("legacy job #7")); // older publishers' ids are accepted
    EXPECT_TRUE(end.host.isEmpty());                       // every host
    ASSERT_TRUE(end.exitCode.has_value());
    EXPECT_EQ(*end.exitCode, -2);
    EXPECT_FALSE(accepted<ControlMessage>(topics::kControl,
                                          R"({"status":"end","job_id":"j","exit_code":null})")
                     .exitCode.has_value());
}

TEST(ProtocolDecode, PerHostTopics)
{
    const auto p = accepted<PowerSample>("greenpulse/raw/node-7/power", R"({"watts":300})");
    EXPECT_EQ(p.host, QStringLiteral("node-7"));
    const auto f = accepted<FlowTempSample>("greenpulse/raw/node-7/flow_temp",
                                            R"({"flow_lpm":1,"temp_c":30,"host":null})");
    EXPECT_EQ(f.host, QStringLiteral("node-7"));
    // The payload may repeat the topic's host; another host is host_mismatch (docs/security.md).
    const auto both =
        accepted<PowerSample>("greenpulse/raw/node-7/power", R"({"host":"node-7","watts":1})");
    EXPECT_EQ(both.host, QStringLiteral("node-7"));
    // A host may be called "power".
    EXPECT_EQ(accepted<PowerSample>("greenpulse/raw/power/power", R"({"watts":1})").host,
              QStringLiteral("power"));
}

TEST(ProtocolDecode, ValuesAtTheLimits)
{
    EXPECT_EQ(accepted<PowerSample>(topics::kPower, R"({"host":"h","watts":100000})").watts,
              kMaxWatts);
    EXPECT_EQ(accepted<PowerSample>(topics::kPower, R"({"host":"h","watts":-0.0})").watts, 0.0);
    const QString longId(kMaxIdLength, QLatin1Char('x'));
    const QByteArray payload =
        R"({"host":")" + longId.toUtf8() + R"(","watts":1,"job_id":")" + longId.toUtf8() + R"("})";
    EXPECT_EQ(accepted<PowerSample>(topics::kPower, payload).jobId, longId);
    // Exactly 64 KiB is still fine.
    QByteArray big = R"({"host":"h","watts":1,"pad":")";
    big += QByteArray(kMaxPayloadBytes - big.size() - 2, 'x') + "\"}";
    ASSERT_EQ(big.size(), kMaxPayloadBytes);
    accepted<PowerSample>(topics::kPower, big);
    // Unicode host names are fine.
    EXPECT_EQ(
        accepted<PowerSample>(topics::kPower, R"({"host":"h\u00f6st-\u4e00","watts":1})").host,
        QStringLiteral("h\u00f6st-\u4e00"));
}

// --- timestamps ---

struct TimestampCase
{
    const char *json;
    TimeNs expected;
};

class ProtocolTimestamp : public ::testing::TestWithParam<TimestampCase>
{};

TEST_P(ProtocolTimestamp, MagnitudeSelectsTheUnit)
{
    const QByteArray payload =
        QByteArray(R"({"host":"h","watts":1,"timestamp":)") + GetParam().json + '}';
    const auto s = accepted<PowerSample>(topics::kPower, payload);
    EXPECT_EQ(s.timestampNs, GetParam().expected) << GetParam().json;
    EXPECT_FALSE(s.timestampFromReceipt);
}

INSTANTIATE_TEST_SUITE_P(
    AllUnits, ProtocolTimestamp,
    ::testing::Values(TimestampCase{"1764049200", 1'764'049'200'000'000'000},
                      TimestampCase{"1764049200.125", 1'764'049'200'125'000'000},
                      TimestampCase{"1764049200.123456", 1'764'049'200'123'456'000},
                      TimestampCase{"1764049200.0", 1'764'049'200'000'000'000},
                      TimestampCase{"1.7640492e9", 1'764'049'200'000'000'000},
                      TimestampCase{"1764049200125", 1'764'049'200'125'000'000},
                      TimestampCase{"1764049200125.5", 1'764'049'200'125'500'000},
                      TimestampCase{"1764049200125456", 1'764'049'200'125'456'000},
                      TimestampCase{"1764049200125456.7", 1'764'049'200'125'457'000},
                      TimestampCase{"1764049200123456789", 1'764'049'200'123'456'789},
                      TimestampCase{"1764049200123456789.0", 1'764'049'200'123'456'768},
                      TimestampCase{"1", 1'000'000'000}));

TEST(ProtocolTimestampNormalize, IntegerAndDoublePaths)
{
    EXPECT_EQ(normalizeTimestamp(qint64{1'764'049'200'123'456'789}), 1'764'049'200'123'456'789);
    EXPECT_EQ(normalizeTimestamp(qint64{1'764'049'200}), 1'764'049'200'000'000'000);
    EXPECT_EQ(normalizeTimestamp(1764049200.25), 1'764'049'200'250'000'000);
    for (const qint64 bad :
         {qint64{0}, qint64{-1}, qint64{9'300'000'000}, qint64{99'999'999'999},
          std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()})
        EXPECT_FALSE(normalizeTimestamp(bad).has_value()) << bad;
    for (const double bad : {0.0, -1.0, 1e-300, 4e-7, 1e10, 9.3e18, 1e300, std::nan(""),
                             std::numeric_limits<double>::infinity()})
        EXPECT_FALSE(normalizeTimestamp(bad).has_value()) << bad;
}

TEST(ProtocolTimestampNormalize, SecondsConversions)
{
    EXPECT_DOUBLE_EQ(toSeconds(1'764'049'200'500'000'000), 1764049200.5);
    EXPECT_EQ(fromSeconds(1764049200.5), 1'764'049'200'500'000'000);
    EXPECT_EQ(fromSeconds(-1.5), -1'500'000'000);
    EXPECT_EQ(fromSeconds(std::nan("")), 0);
}

// --- rejections ---

struct RejectCase
{
    const char *topic;
    QByteArray payload;
    RejectReason reason;
};

class ProtocolReject : public ::testing::TestWithParam<RejectCase>
{};

TEST_P(ProtocolReject, WithReasonAndDetail)
{
    const RejectCase &c = GetParam();
    EXPECT_EQ(rejection(c.topic, c.payload), c.reason)
        << c.topic << " " << c.payload.left(200).constData();
}

namespace {
const char *P = topics::kPower;
const char *F = topics::kFlowTemp;
const char *C = topics::kControl;
RejectCase r(const char *topic, const QByteArray &payload, RejectReason reason)
{
    return {topic, payload, reason};
}
QByteArray tooLarge()
{
    QByteArray p = R"({"host":"h","watts":1,"pad":")";
    return p + QByteArray(kMaxPayloadBytes - p.size() - 1, 'x') + "\"}";
}
QByteArray longIdPayload()
{
    return R"({"host":"h","watts":1,"job_id":")" + QByteArray(kMaxIdLength + 1, 'j') + "\"}";
}
} // namespace

using RR = RejectReason;
INSTANTIATE_TEST_SUITE_P(
    EveryReason, ProtocolReject,
    ::testing::Values(
        r(P, tooLarge(), RR::PayloadTooLarge), r(P, QByteArray(100'000, '{'), RR::PayloadTooLarge),
        r(P, "", RR::NotJson), r(P, "   ", RR::NotJson), r(P, "watts=3", RR::NotJson),
        r(P, R"({"host":"h","watts":1)", RR::NotJson), r(P, R"({"host":"h"}x)", RR::NotJson),
        r(P, R"({'host':'h','watts':1})", RR::NotJson),
        r(P, R"({"host":"h","watts":NaN})", RR::NotJson),
        r(P, R"({"host":"h","watts":Infinity})", RR::NotJson),
        r(P, "{\"host\":\"h\xff\xfe\",\"watts\":1}", RR::NotJson), r(P, "[]", RR::NotAnObject),
        r(P, R"([{"host":"h","watts":1}])", RR::NotAnObject), r(P, "42", RR::NotAnObject),
        r(P, R"("text")", RR::NotAnObject), r(P, "null", RR::NotAnObject),
        r(C, "true", RR::NotAnObject), r(P, R"({"watts":1})", RR::MissingKey),
        r(P, R"({"host":null,"watts":1})", RR::MissingKey), r(P, R"({"host":"h"})", RR::MissingKey),
        r(P, R"({"host":"h","watts":null})", RR::MissingKey),
        r(F, R"({"flow_lpm":1,"temp_c":2})", RR::MissingKey),
        r(F, R"({"host":"h","temp_c":2})", RR::MissingKey),
        r(F, R"({"host":"h","flow_lpm":1})", RR::MissingKey),
        r(C, R"({"job_id":"j"})", RR::MissingKey), r(C, R"({"status":"end"})", RR::MissingKey),
        r(C, R"({"status":"end","job_id":null})", RR::MissingKey),
        r(P, R"({"host":"h","watts":"412"})", RR::WrongType),
        r(P, R"({"host":"h","watts":true})", RR::WrongType),
        r(P, R"({"host":7,"watts":1})", RR::WrongType),
        r(P, R"({"host":"h","watts":1,"job_id":5})", RR::WrongType),
        r(P, R"({"host":"h","watts":1,"job_id":["j"]})", RR::WrongType),
        r(P, R"({"host":"h","watts":1,"timestamp":"1764049200"})", RR::WrongType),
        r(F, R"({"host":"h","flow_lpm":[1],"temp_c":2})", RR::WrongType),
        r(F, R"({"host":"h","flow_lpm":1,"temp_c":{}})", RR::WrongType),
        r(C, R"({"status":1,"job_id":"j"})", RR::WrongType),
        r(C, R"({"status":"end","job_id":5})", RR::WrongType),
        r(C, R"({"status":"end","job_id":"j","host":false})", RR::WrongType),
        r(C, R"({"status":"end","job_id":"j","exit_code":"1"})", RR::WrongType),
        r(C, R"({"status":"end","job_id":"j","exit_code":1.5})", RR::WrongType),
        r(C, R"({"status":"end","job_id":"j","exit_code":3000000000})", RR::WrongType),
        r(P, R"({"host":"h","watts":1e999})", RR::NotFinite),
        r(P, R"({"host":"h","watts":-1E+400})", RR::NotFinite),
        r(P, R"({"host":"h","watts":1,"timestamp":1e999})", RR::NotFinite),
        r(F, R"({"host":"h","flow_lpm":1,"temp_c":-1e999})", RR::NotFinite),
        r(P, R"({"host":"h","watts":-0.01})", RR::Negative),
        r(F, R"({"host":"h","flow_lpm":-1,"temp_c":20})", RR::Negative),
        r(P, R"({"host":"h","watts":100000.5})", RR::AboveCeiling),
        r(P, R"({"host":"h","watts":1e300})", RR::AboveCeiling),
        r(F, R"({"host":"h","flow_lpm":1,"temp_c":150.1})", RR::AboveCeiling),
        r(F, R"({"host":"h","flow_lpm":1,"temp_c":-51})", RR::AboveCeiling),
        r(C, R"({"status":"begin","job_id":"j"})", RR::UnknownStatus),
        r(C, R"({"status":"START","job_id":"j"})", RR::UnknownStatus),
        r(C, R"({"status":"","job_id":"j"})", RR::UnknownStatus),
        r(P, R"({"host":"h","watts":1,"timestamp":0})", RR::BadTimestamp),
        r(P, R"({"host":"h","watts":1,"timestamp":-1764049200})", RR::BadTimestamp),
        r(P, R"({"host":"h","watts":1,"timestamp":1e10})", RR::BadTimestamp),
        r(P, R"({"host":"h","watts":1,"timestamp":9300000000000000000})", RR::BadTimestamp),
        r(P, R"({"host":"h","watts":1,"timestamp":17640492001234567890})", RR::BadTimestamp),
        r(C, R"({"status":"end","job_id":"j","timestamp":-0.5})", RR::BadTimestamp),
        r(P, R"({"host":"","watts":1})", RR::BadIdentifier),
        r(P, R"({"host":"a/b","watts":1})", RR::BadIdentifier),
        r(P, R"({"host":"a+b","watts":1})", RR::BadIdentifier),
        r(P, R"({"host":"a#b","watts":1})", RR::BadIdentifier),
        r(P, R"({"host":"a\nb","watts":1})", RR::BadIdentifier),
        r(P, R"({"host":"h","watts":1,"job_id":""})", RR::BadIdentifier),
        r(P, R"({"host":"h","watts":1,"job_id":"a\u0001b"})", RR::BadIdentifier),
        r(P, R"({"host":"h","watts":1,"job_id":"a\u007fb"})", RR::BadIdentifier),
        r(P, R"({"host":"h","watts":1,"job_id":"\ud800"})", RR::BadIdentifier),
        r(P, longIdPayload(), RR::BadIdentifier),
        r(C, R"({"status":"start","job_id":""})", RR::BadIdentifier),
        r(C, R"({"status":"start","job_id":"j","host":"a/b"})", RR::BadIdentifier),
        r("greenpulse/raw/a+b/power", R"({"watts":1})", RR::BadIdentifier),
        r("greenpulse/raw/a#/flow_temp", R"({"flow_lpm":1,"temp_c":2})", RR::BadIdentifier),
        r("greenpulse/status/proc-1", "online", RR::UnknownTopic),
        r("greenpulse/state/jobs/j", R"({"status":"start","job_id":"j"})", RR::UnknownTopic),
        r("greenpulse/raw/power/extra", R"({"host":"h","watts":1})", RR::UnknownTopic),
        r("greenpulse/raw//power", R"({"host":"h","watts":1})", RR::UnknownTopic),
        r("greenpulse/raw/a/b/power", R"({"host":"h","watts":1})", RR::UnknownTopic),
        r("greenpulse/raw/h/temperature", R"({"host":"h"})", RR::UnknownTopic),
        r("greenpulse/control/x/y", R"({"status":"end","job_id":"j"})", RR::UnknownTopic),
        r("greenpulse/raw/node-7/power", R"({"host":"node-8","watts":1})", RR::HostMismatch),
        r("other/power", R"({"host":"h","watts":1})", RR::UnknownTopic),
        r("", R"({"host":"h","watts":1})", RR::UnknownTopic)));

TEST(ProtocolTopics, Classify)
{
    EXPECT_EQ(classifyTopic("greenpulse/raw/power"), TopicKind::Power);
    EXPECT_EQ(classifyTopic("greenpulse/raw/gpu-01/power"), TopicKind::Power);
    EXPECT_EQ(classifyTopic("greenpulse/raw/flow_temp"), TopicKind::FlowTemp);
    EXPECT_EQ(classifyTopic("greenpulse/raw/gpu-01/flow_temp"), TopicKind::FlowTemp);
    EXPECT_EQ(classifyTopic("greenpulse/control"), TopicKind::Control);
    EXPECT_EQ(classifyTopic("greenpulse/state/jobs/j_1_abcdef"), TopicKind::JobState);
    EXPECT_EQ(classifyTopic("greenpulse/status/greenpulse-processor-1"), TopicKind::Status);
    EXPECT_EQ(classifyTopic("greenpulse/controls"), TopicKind::Unknown);
    EXPECT_EQ(classifyTopic("greenpulse/raw"), TopicKind::Unknown);
    EXPECT_EQ(classifyTopic("greenpulse/raw/"), TopicKind::Unknown);
    EXPECT_EQ(classifyTopic("xgreenpulse/raw/power"), TopicKind::Unknown);
    EXPECT_EQ(classifyTopic(""), TopicKind::Unknown);
}

TEST(ProtocolTopics, Builders)
{
    EXPECT_EQ(topics::powerForHost(QStringLiteral("gpu-01")), "greenpulse/raw/gpu-01/power");
    EXPECT_EQ(topics::flowTempForHost(QStringLiteral("gpu-01")), "greenpulse/raw/gpu-01/flow_temp");
    EXPECT_EQ(topics::jobState(QStringLiteral("j_1_abcdef")), "greenpulse/state/jobs/j_1_abcdef");
    EXPECT_EQ(topics::status(QStringLiteral("sim-1")), "greenpulse/status/sim-1");
    EXPECT_EQ(classifyTopic(topics::powerForHost(QStringLiteral("h"))), TopicKind::Power);
    EXPECT_EQ(classifyTopic(topics::jobState(QStringLiteral("j"))), TopicKind::JobState);
}

TEST(ProtocolReasons, SnakeCaseNames)
{
    const QStringList expected = {
        QStringLiteral("payload_too_large"), QStringLiteral("not_json"),
        QStringLiteral("not_an_object"),     QStringLiteral("missing_key"),
        QStringLiteral("wrong_type"),        QStringLiteral("not_finite"),
        QStringLiteral("negative"),          QStringLiteral("above_ceiling"),
        QStringLiteral("unknown_status"),    QStringLiteral("bad_timestamp"),
        QStringLiteral("bad_identifier"),    QStringLiteral("unknown_topic"),
        QStringLiteral("out_of_order"),      QStringLiteral("from_future"),
        QStringLiteral("too_many_ids"),      QStringLiteral("id_rate_limited"),
        QStringLiteral("host_mismatch"),     QStringLiteral("not_owner")};
    ASSERT_EQ(expected.size(), kRejectReasonCount);
    for (int i = 0; i < kRejectReasonCount; ++i)
        EXPECT_EQ(QLatin1String(rejectReasonName(static_cast<RejectReason>(i))), expected[i]);
}

// --- encoders ---

TEST(ProtocolEncode, CompactJsonInTheContractShape)
{
    PowerSample p{QStringLiteral("gpu-server-01"),
                  412.35,
                  QString(),
                  1'764'049'200'125'000'000,
                  false,
                  {},
                  0};
    EXPECT_EQ(
        encode(p),
        R"({"host":"gpu-server-01","watts":412.35,"job_id":null,"timestamp":1764049200.125})");
    FlowTempSample f{QStringLiteral("h"), 1.234, -3.5, 1'764'049'200'000'000'000, false, {}, 0};
    EXPECT_EQ(encode(f), R"({"host":"h","flow_lpm":1.234,"temp_c":-3.5,"timestamp":1764049200.0})");
    ControlMessage start{JobStatus::Start,
                         QStringLiteral("j_1_abcdef"),
                         QString(),
                         1'764'049'200'000'001'000,
                         false,
                         std::nullopt,
                         {}};
    EXPECT_EQ(encode(start),
              R"({"status":"start","job_id":"j_1_abcdef","timestamp":1764049200.000001})");
    ControlMessage end{JobStatus::End,
                       QStringLiteral("j"),
                       QStringLiteral("h"),
                       1'764'049'200'999'999'600,
                       false,
                       0,
                       {}};
    EXPECT_EQ(encode(end),
              R"({"status":"end","job_id":"j","timestamp":1764049201.0,"host":"h","exit_code":0})");
    p.timestampNs = -1'500'000'000;
    EXPECT_TRUE(encode(p).endsWith(R"("timestamp":-1.5})")) << encode(p).constData();
    p.watts = std::nan("");
    EXPECT_FALSE(encode(p).contains("nan"));
}

TEST(ProtocolEncode, RoundTrips)
{
    const QString oddHost = QStringLiteral("h\"q\\b\u00e9\u4e00");
    for (const PowerSample &p :
         {PowerSample{QStringLiteral("gpu-server-01"),
                      412.35,
                      QStringLiteral("Initial_Model_Train_1764049200_a1b2c3"),
                      1'764'049'200'123'456'000,
                      false,
                      {},
                      0},
          PowerSample{oddHost, 0.1, QString(), 1'000'000, false, {}, 0},
          PowerSample{QStringLiteral("h"),
                      kMaxWatts,
                      QStringLiteral("legacy \"id\""),
                      4'000'000'000'000'001'000,
                      false,
                      {},
                      0}}) {
        const auto back = accepted<PowerSample>(topics::kPower, encode(p));
        EXPECT_EQ(back.host, p.host);
        EXPECT_EQ(back.watts, p.watts);
        EXPECT_EQ(back.jobId, p.jobId);
        EXPECT_EQ(back.timestampNs, p.timestampNs);
    }
    const FlowTempSample f{oddHost, 1.0 / 3.0, -49.999, 1'764'049'200'000'007'000, false, {}, 0};
    const auto fb = accepted<FlowTempSample>(topics::kFlowTemp, encode(f));
    EXPECT_EQ(fb.host, f.host);
    EXPECT_EQ(fb.flowLpm, f.flowLpm);
    EXPECT_EQ(fb.tempC, f.tempC);
    EXPECT_EQ(fb.timestampNs, f.timestampNs);
    for (const ControlMessage &c : {ControlMessage{JobStatus::Start,
                                                   QStringLiteral("a_b_1764049200_a1b2c3"),
                                                   QString(),
                                                   1'764'049'200'500'000'000,
                                                   false,
                                                   std::nullopt,
                                                   {}},
                                    ControlMessage{JobStatus::End,
                                                   QStringLiteral("j"),
                                                   oddHost,
                                                   1'764'049'260'000'000'000,
                                                   false,
                                                   137,
                                                   {}}}) {
        const auto back = accepted<ControlMessage>(topics::kControl, encode(c));
        EXPECT_EQ(back.status, c.status);
        EXPECT_EQ(back.jobId, c.jobId);
        EXPECT_EQ(back.host, c.host);
        EXPECT_EQ(back.timestampNs, c.timestampNs);
        EXPECT_EQ(back.exitCode, c.exitCode);
    }
    // Sub-microsecond parts are rounded to the microsecond.
    PowerSample ns{QStringLiteral("h"), 1, QString(), 1'764'049'200'123'456'789, false, {}, 0};
    EXPECT_EQ(accepted<PowerSample>(topics::kPower, encode(ns)).timestampNs,
              1'764'049'200'123'457'000);
}

// --- rejection counter ---

namespace {
QStringList g_warnings;
void captureWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && qstrcmp(context.category, "greenpulse.protocol") == 0)
        g_warnings << message;
}
struct WarningCapture
{
    WarningCapture() : previous(qInstallMessageHandler(captureWarnings)) { g_warnings.clear(); }
    ~WarningCapture() { qInstallMessageHandler(previous); }
    QtMessageHandler previous;
};
} // namespace

TEST(RejectionCounter, CountsAndJson)
{
    WarningCapture capture;
    RejectionCounter counter;
    counter.countAccepted();
    counter.countAccepted();
    counter.add(RejectReason::NotJson, "greenpulse/raw/power", QStringLiteral("x"));
    counter.add(RejectReason::NotJson, "greenpulse/raw/power", QStringLiteral("x"));
    counter.add(RejectReason::OutOfOrder, "greenpulse/raw/h/power", QStringLiteral("old"));
    EXPECT_EQ(counter.accepted(), 2u);
    EXPECT_EQ(counter.count(RejectReason::NotJson), 2u);
    EXPECT_EQ(counter.count(RejectReason::OutOfOrder), 1u);
    EXPECT_EQ(counter.count(RejectReason::Negative), 0u);
    EXPECT_EQ(counter.totalRejected(), 3u);
    const QJsonObject json = counter.toJson();
    EXPECT_EQ(json.value(QLatin1String("accepted")).toInteger(), 2);
    EXPECT_EQ(json.value(QLatin1String("rejected")).toInteger(), 3);
    const QJsonObject byReason = json.value(QLatin1String("by_reason")).toObject();
    EXPECT_EQ(byReason.size(), 2);
    EXPECT_EQ(byReason.value(QLatin1String("not_json")).toInteger(), 2);
    EXPECT_EQ(byReason.value(QLatin1String("out_of_order")).toInteger(), 1);
}

TEST(RejectionCounter, RateLimitedWarningsNameTopicAndDetail)
{
    WarningCapture capture;
    RejectionCounter counter(100);
    counter.add(RejectReason::Negative, "greenpulse/raw/gpu-01/power", QStringLiteral("watts < 0"));
    counter.add(RejectReason::Negative, "greenpulse/raw/gpu-01/power", QStringLiteral("watts < 0"));
    counter.add(RejectReason::Negative, "greenpulse/raw/gpu-02/power", QStringLiteral("watts < 0"));
    counter.add(RejectReason::NotJson, "greenpulse/control", QStringLiteral("garbage"));
    ASSERT_EQ(g_warnings.size(), 2) << g_warnings.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(g_warnings[0].contains(QLatin1String("greenpulse/raw/gpu-01/power")));
    EXPECT_TRUE(g_warnings[0].contains(QLatin1String("negative")));
    EXPECT_TRUE(g_warnings[0].contains(QLatin1String("watts < 0")));
    EXPECT_TRUE(g_warnings[1].contains(QLatin1String("greenpulse/control")));
    QThread::msleep(150);
    counter.add(RejectReason::Negative, "greenpulse/raw/gpu-03/power", QStringLiteral("watts < 0"));
    ASSERT_EQ(g_warnings.size(), 3);
    EXPECT_TRUE(g_warnings[2].contains(QLatin1String("gpu-03")));
    EXPECT_TRUE(g_warnings[2].contains(QLatin1String("2 more"))) << g_warnings[2].toStdString();
    EXPECT_EQ(counter.count(RejectReason::Negative), 4u);
}

TEST(RejectionCounter, DecoderRejectionsFeedTheCounter)
{
    WarningCapture capture;
    RejectionCounter counter(0);
    for (const char *payload : {"{", R"({"host":"h","watts":-1})", R"({"host":"h","watts":1})"}) {
        const Decoded d = decode(topics::kPower, QByteArrayView(payload), kReceipt);
        if (const auto *rej = std::get_if<Rejection>(&d))
            counter.add(rej->reason, topics::kPower, rej->detail);
        else
            counter.countAccepted();
    }
    EXPECT_EQ(counter.accepted(), 1u);
    EXPECT_EQ(counter.count(RejectReason::NotJson), 1u);
    EXPECT_EQ(counter.count(RejectReason::Negative), 1u);
    EXPECT_EQ(g_warnings.size(), 2);
}
