// The optional job details of a control message (docs/protocol.md, "Job details"): "user",
// "name", "gpus" on a start, "exit_state" on an end. Decoded, checked with a clear rejection,
// encoded back; old payloads unchanged.

#include "protocol/Protocol.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

constexpr TimeNs kReceipt = 1'764'049'200'000'000'000LL;

Decoded decodeControl(const QByteArray &payload)
{
    return decode(QByteArrayView(topics::kControl), QByteArrayView(payload), kReceipt);
}

ControlMessage control(JobStatus status, const char *jobId, const char *host)
{
    ControlMessage c;
    c.status = status;
    c.jobId = QString::fromLatin1(jobId);
    c.host = QString::fromLatin1(host);
    c.timestampNs = kReceipt;
    return c;
}

Rejection rejection(const Decoded &d)
{
    EXPECT_TRUE(std::holds_alternative<Rejection>(d));
    return std::holds_alternative<Rejection>(d) ? std::get<Rejection>(d) : Rejection{};
}

} // namespace

TEST(JobFields, StartCarriesUserNameAndGpus)
{
    const Decoded d = decodeControl(
        R"({"status":"start","job_id":"slurm-hpc-42","host":"node1","user":"alice",)"
        R"("name":"train llama","gpus":[0,3,"GPU-8f1e2d3c-aaaa-bbbb-cccc-0123456789ab"]})");
    ASSERT_TRUE(std::holds_alternative<ControlMessage>(d)) << rejection(d).detail.toStdString();
    const ControlMessage &c = std::get<ControlMessage>(d);
    EXPECT_EQ(c.user, QStringLiteral("alice"));
    EXPECT_EQ(c.name, QStringLiteral("train llama"));
    EXPECT_EQ(c.gpus, (QStringList{QStringLiteral("0"), QStringLiteral("3"),
                                   QStringLiteral("GPU-8f1e2d3c-aaaa-bbbb-cccc-0123456789ab")}));
    EXPECT_TRUE(c.exitState.isEmpty());
}

TEST(JobFields, EndCarriesTheExitState)
{
    const Decoded d = decodeControl(
        R"({"status":"end","job_id":"slurm-hpc-42","exit_code":143,"exit_state":"cancelled"})");
    ASSERT_TRUE(std::holds_alternative<ControlMessage>(d)) << rejection(d).detail.toStdString();
    const ControlMessage &c = std::get<ControlMessage>(d);
    EXPECT_EQ(c.exitState, QStringLiteral("cancelled"));
    EXPECT_EQ(c.exitCode, std::optional<int>(143));
}

TEST(JobFields, OldPayloadsHaveNoneAndNullCountsAsAbsent)
{
    const Decoded old = decodeControl(R"({"status":"start","job_id":"j_1764049200_a1b2c3"})");
    ASSERT_TRUE(std::holds_alternative<ControlMessage>(old));
    const ControlMessage &c = std::get<ControlMessage>(old);
    EXPECT_TRUE(c.user.isEmpty() && c.name.isEmpty() && c.gpus.isEmpty() && c.exitState.isEmpty());
    const Decoded nulls = decodeControl(
        R"({"status":"end","job_id":"j","user":null,"name":null,"gpus":null,"exit_state":null})");
    ASSERT_TRUE(std::holds_alternative<ControlMessage>(nulls));
    // An old message encodes exactly as before: no new keys.
    ControlMessage plain = control(JobStatus::End, "j", "h");
    plain.exitCode = 0;
    EXPECT_EQ(encode(plain),
              QByteArray(R"({"status":"end","job_id":"j","timestamp":1764049200.0,"host":"h",)"
                         R"("exit_code":0})"));
}

TEST(JobFields, BadValuesAreRejectedClearly)
{
    struct Case
    {
        const char *payload;
        RejectReason reason;
        const char *detail; // part of the rejection's text
    };
    const Case cases[] = {
        {R"({"status":"start","job_id":"j","user":7})", RejectReason::WrongType, "\"user\""},
        {R"({"status":"start","job_id":"j","user":""})", RejectReason::BadIdentifier, "empty"},
        {R"({"status":"start","job_id":"j","name":"a\u0001b"})", RejectReason::BadIdentifier,
         "control character"},
        {R"({"status":"start","job_id":"j","gpus":"0,1"})", RejectReason::WrongType,
         "\"gpus\" must be an array"},
        {R"({"status":"start","job_id":"j","gpus":[0,-1]})", RejectReason::Negative,
         "\"gpus\"[1] is negative"},
        {R"({"status":"start","job_id":"j","gpus":[1.5]})", RejectReason::WrongType,
         "device index"},
        {R"({"status":"start","job_id":"j","gpus":[true]})", RejectReason::WrongType,
         "device index"},
        {R"({"status":"start","job_id":"j","gpus":[99999]})", RejectReason::AboveCeiling,
         "above 4095"},
        {R"({"status":"start","job_id":"j","gpus":["a/b"]})", RejectReason::BadIdentifier,
         "\"gpus\"[0]"},
        {R"({"status":"end","job_id":"j","exit_state":"COMPLETED"})", RejectReason::BadIdentifier,
         "lower-case word"},
        {R"({"status":"end","job_id":"j","exit_state":""})", RejectReason::BadIdentifier,
         "lower-case word"},
        {R"({"status":"end","job_id":"j","exit_state":1})", RejectReason::WrongType,
         "\"exit_state\""},
    };
    for (const Case &c : cases) {
        const Rejection r = rejection(decodeControl(QByteArray(c.payload)));
        EXPECT_EQ(r.reason, c.reason) << c.payload << ": " << r.detail.toStdString();
        EXPECT_TRUE(r.detail.contains(QLatin1String(c.detail)))
            << c.payload << ": " << r.detail.toStdString();
    }
    QByteArray many = R"({"status":"start","job_id":"j","gpus":[)";
    for (int i = 0; i <= kMaxJobGpus; ++i)
        many += (i ? "," : "") + QByteArray::number(i);
    EXPECT_EQ(rejection(decodeControl(many + "]}")).reason, RejectReason::AboveCeiling);
}

TEST(JobFields, RoundTripThroughTheEncoder)
{
    ControlMessage start = control(JobStatus::Start, "slurm-hpc-42", "n1");
    start.user = QStringLiteral("alice");
    start.name = QStringLiteral("train");
    start.gpus = {QStringLiteral("0"), QStringLiteral("GPU-1a2b"), QStringLiteral("7")};
    const QByteArray startJson = encode(start);
    EXPECT_TRUE(startJson.contains(R"("gpus":[0,"GPU-1a2b",7])")) << startJson.constData();
    const auto back = std::get<ControlMessage>(decodeControl(startJson));
    EXPECT_EQ(back.user, start.user);
    EXPECT_EQ(back.name, start.name);
    EXPECT_EQ(back.gpus, start.gpus);

    ControlMessage end = control(JobStatus::End, "slurm-hpc-42", "n1");
    end.exitCode = 3;
    end.exitState = QStringLiteral("failed");
    const auto endBack = std::get<ControlMessage>(decodeControl(encode(end)));
    EXPECT_EQ(endBack.exitState, QStringLiteral("failed"));
    EXPECT_EQ(endBack.exitCode, std::optional<int>(3));
}
