// The optional energy fields of a power message (docs/protocol.md, "Energy counters"): decoded,
// checked with a clear rejection, encoded back; old payloads unchanged.

#include "protocol/FastDecode_p.h"
#include "protocol/Protocol.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

constexpr TimeNs kReceipt = 1'764'049'200'000'000'000LL;

Decoded decodePower(const char *payload)
{
    return decode(QByteArrayView(topics::kPower), QByteArrayView(payload), kReceipt);
}

Rejection rejection(const Decoded &d)
{
    EXPECT_TRUE(std::holds_alternative<Rejection>(d));
    return std::holds_alternative<Rejection>(d) ? std::get<Rejection>(d) : Rejection{};
}

} // namespace

TEST(EnergyFields, AreReadWithTheirComponents)
{
    const Decoded d = decodePower(
        R"({"host":"gpu-01","watts":412.5,"timestamp":1764049200,"seq":7,"energy_j":123456.25,)"
        R"("counter_id":"a1b2","source":"rapl,nvml","components":{"package-0":{"w":80.5,"j":1000.5},)"
        R"("gpu0":{"w":300},"dram":{"w":32,"j":20.25}}})");
    ASSERT_TRUE(std::holds_alternative<PowerSample>(d)) << rejection(d).detail.toStdString();
    const PowerSample &s = std::get<PowerSample>(d);
    EXPECT_EQ(s.watts, 412.5);
    ASSERT_TRUE(s.energyJ.has_value());
    EXPECT_EQ(*s.energyJ, 123456.25);
    EXPECT_EQ(s.counterId, QStringLiteral("a1b2"));
    EXPECT_EQ(s.source, QStringLiteral("rapl,nvml"));
    ASSERT_EQ(s.components.size(), 3u); // sorted by name
    EXPECT_EQ(s.components[0].name, QStringLiteral("dram"));
    EXPECT_EQ(s.components[0].energyJ, std::optional<double>(20.25));
    EXPECT_EQ(s.components[1].name, QStringLiteral("gpu0"));
    EXPECT_EQ(s.components[1].watts, 300.0);
    EXPECT_FALSE(s.components[1].energyJ.has_value());
    EXPECT_EQ(s.components[2].name, QStringLiteral("package-0"));
}

TEST(EnergyFields, OldPayloadsHaveNoneAndTakeTheFastPathUnchanged)
{
    const char *payload = R"({"host":"h","watts":100,"job_id":null,"timestamp":1764049200})";
    const Decoded fast = decodePower(payload);
    ASSERT_TRUE(std::holds_alternative<PowerSample>(fast));
    const PowerSample &s = std::get<PowerSample>(fast);
    EXPECT_FALSE(s.energyJ.has_value());
    EXPECT_TRUE(s.counterId.isEmpty() && s.source.isEmpty() && s.components.empty());
}

TEST(EnergyFields, RoundTripThroughTheEncoder)
{
    PowerSample s;
    s.host = QStringLiteral("gpu-01");
    s.watts = 250.125;
    s.timestampNs = kReceipt;
    s.seq = 3;
    s.energyJ = 987654.5;
    s.counterId = QStringLiteral("boot-42");
    s.source = QStringLiteral("nvml");
    s.components = {{QStringLiteral("gpu0"), 125.0, 500.5, QStringLiteral("GPU-8f1e2d3c-aa")},
                    {QStringLiteral("gpu1"), 125.125, {}, {}}};
    const QByteArray json = encode(s);
    EXPECT_TRUE(json.contains(R"("uuid":"GPU-8f1e2d3c-aa")")) << json.toStdString();
    const Decoded d = decodePower(json.constData());
    ASSERT_TRUE(std::holds_alternative<PowerSample>(d)) << json.toStdString();
    const PowerSample &back = std::get<PowerSample>(d);
    EXPECT_EQ(back.energyJ, s.energyJ);
    EXPECT_EQ(back.counterId, s.counterId);
    EXPECT_EQ(back.source, s.source);
    EXPECT_EQ(back.components, s.components);
    EXPECT_EQ(decodeReference(QByteArrayView(topics::kPower), json, kReceipt).index(), d.index());
}

TEST(EnergyFields, BadValuesAreRejectedWithAClearReason)
{
    struct Case
    {
        const char *payload;
        RejectReason reason;
        const char *detail;
    };
    const Case cases[] = {
        {R"({"host":"h","watts":1,"energy_j":5})", RejectReason::MissingKey, "counter_id"},
        {R"({"host":"h","watts":1,"energy_j":-1,"counter_id":"c"})", RejectReason::Negative,
         "\"energy_j\" is negative"},
        {R"({"host":"h","watts":1,"energy_j":"5","counter_id":"c"})", RejectReason::WrongType,
         "\"energy_j\" must be a number"},
        {R"({"host":"h","watts":1,"energy_j":1e17,"counter_id":"c"})", RejectReason::AboveCeiling,
         "above"},
        {R"({"host":"h","watts":1,"counter_id":""})", RejectReason::BadIdentifier,
         "\"counter_id\" is empty"},
        {R"({"host":"h","watts":1,"components":[1]})", RejectReason::WrongType,
         "\"components\" must be an object"},
        {R"({"host":"h","watts":1,"components":{"gpu0":{"j":5}},"counter_id":"c"})",
         RejectReason::MissingKey, "component \"gpu0\": missing key \"w\""},
        {R"({"host":"h","watts":1,"components":{"gpu0":{"w":1,"j":2}}})", RejectReason::MissingKey,
         "counter_id"},
        {R"({"host":"h","watts":1,"components":{"gpu0":{"w":200000}}})", RejectReason::AboveCeiling,
         "component \"gpu0\""},
        {R"({"host":"h","watts":1,"components":{"gpu0":3}})", RejectReason::WrongType,
         "must be an object"},
        {R"({"host":"h","watts":1,"components":{"gpu0":{"w":1,"uuid":5}}})",
         RejectReason::WrongType, "component \"gpu0\": \"uuid\" must be a string"},
        {R"({"host":"h","watts":1,"components":{"gpu0":{"w":1,"uuid":""}}})",
         RejectReason::BadIdentifier, "component \"gpu0\": \"uuid\""},
    };
    for (const Case &c : cases) {
        const Rejection r = rejection(decodePower(c.payload));
        EXPECT_EQ(r.reason, c.reason) << c.payload << " -> " << r.detail.toStdString();
        EXPECT_TRUE(r.detail.contains(QLatin1String(c.detail)))
            << c.payload << " -> " << r.detail.toStdString();
    }
}

TEST(EnergyFields, TooManyComponentsAreRefusedWithoutReadingThem)
{
    QByteArray payload = R"({"host":"h","watts":1,"components":{)";
    for (int i = 0; i <= kMaxComponents; ++i) {
        payload += (i ? "," : "") + QByteArray(R"("c)") + QByteArray::number(i) + R"(":{"w":1})";
    }
    payload += "}}";
    const Rejection r = rejection(decodePower(payload.constData()));
    EXPECT_EQ(r.reason, RejectReason::AboveCeiling) << r.detail.toStdString();
}

TEST(EnergyFields, TheFastPathGivesExactlyTheReferencesResults)
{
    // The fast decoder takes "source", "energy_j" and "counter_id" too (what every host agent
    // sends); anything unusual goes to the reference decoder. Both must agree bit for bit.
    const char *payloads[] = {
        R"({"host":"h","watts":1,"source":"sim"})",
        R"({"host":"h","watts":1,"source":null,"energy_j":null,"counter_id":null})",
        R"({"host":"h","watts":250.5,"seq":3,"energy_j":12345.25,"counter_id":"c-1","source":"rapl"})",
        R"({"host":"h","watts":1,"energy_j":0,"counter_id":"c"})",
        R"({"host":"h","watts":1,"energy_j":-0.0,"counter_id":"c"})",
        R"({"host":"h","watts":1,"energy_j":5})",
        R"({"host":"h","watts":1,"energy_j":-5,"counter_id":"c"})",
        R"({"host":"h","watts":1,"energy_j":1e17,"counter_id":"c"})",
        R"({"host":"h","watts":1,"energy_j":10000000000000000,"counter_id":"c"})",
        R"({"host":"h","watts":1,"energy_j":"5","counter_id":"c"})",
        R"({"host":"h","watts":1,"counter_id":""})",
        R"({"host":"h","watts":1,"source":"","energy_j":1,"counter_id":"c"})",
        R"({"host":"h","watts":1,"source":"a\u0001b"})",
        R"({"host":"h","watts":1,"source":"sim","source":"rapl"})",
        R"({"host":"h","watts":1,"counter_id":"c","components":{"gpu0":{"w":1,"j":2}}})",
        R"({"host":"h","flow_lpm":1,"temp_c":30,"source":"sim"})",
    };
    for (const char *payload : payloads) {
        for (const char *topic : {topics::kPower, topics::kFlowTemp}) {
            const Decoded fast = decode(QByteArrayView(topic), QByteArrayView(payload), kReceipt);
            const Decoded reference =
                decodeReference(QByteArrayView(topic), QByteArrayView(payload), kReceipt);
            EXPECT_TRUE(sameDecoded(fast, reference)) << topic << " " << payload;
        }
    }
}
