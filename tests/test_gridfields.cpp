// The grid's carbon intensity on the wire (docs/protocol.md, "Grid carbon intensity"):
// greenpulse/grid/<zone>/carbon_intensity decoded, checked with a clear rejection and encoded
// back; the optional "zone" of a power sample, on the fast path and the reference one alike.

#include "protocol/Protocol.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

constexpr TimeNs kReceipt = 1'764'049'200'000'000'000LL;

Decoded decodeGrid(const char *zone, const QByteArray &payload)
{
    const QByteArray topic = topics::gridCarbonIntensity(QString::fromLatin1(zone));
    return decode(QByteArrayView(topic), QByteArrayView(payload), kReceipt);
}

Rejection rejection(const Decoded &d)
{
    EXPECT_TRUE(std::holds_alternative<Rejection>(d));
    return std::holds_alternative<Rejection>(d) ? std::get<Rejection>(d) : Rejection{};
}

} // namespace

TEST(GridFields, TopicNamesItsZone)
{
    EXPECT_EQ(topics::gridCarbonIntensity(QStringLiteral("DE")),
              QByteArray("greenpulse/grid/DE/carbon_intensity"));
    const Topic t = parseTopic("greenpulse/grid/US-CAL-CISO/carbon_intensity");
    EXPECT_EQ(t.kind, TopicKind::GridIntensity);
    EXPECT_EQ(t.zone, QByteArrayView("US-CAL-CISO"));
    EXPECT_TRUE(parseTopic("greenpulse/raw/h/power").zone.isEmpty());
    for (const char *bad : {"greenpulse/grid//carbon_intensity", "greenpulse/grid/DE",
                            "greenpulse/grid/a/b/carbon_intensity", "greenpulse/grid/DE/price"}) {
        EXPECT_EQ(classifyTopic(bad), TopicKind::Unknown) << bad;
    }
}

TEST(GridFields, TheIssuesExamplePayload)
{
    const Decoded d = decodeGrid("DE", R"({"g_co2e_per_kwh": 312.5, "timestamp": 1764049200,
        "source": "electricitymaps", "kind": "lifecycle", "estimated": false})");
    ASSERT_TRUE(std::holds_alternative<GridIntensity>(d));
    const auto &g = std::get<GridIntensity>(d);
    EXPECT_EQ(g.zone, QStringLiteral("DE"));
    EXPECT_EQ(g.gCo2ePerKwh, 312.5);
    EXPECT_EQ(g.timestampNs, kReceipt);
    EXPECT_FALSE(g.timestampFromReceipt);
    EXPECT_EQ(g.source, QStringLiteral("electricitymaps"));
    EXPECT_EQ(g.kind, IntensityKind::Lifecycle);
    EXPECT_FALSE(g.estimated);
    EXPECT_EQ(g.receiptNs, kReceipt);
}

TEST(GridFields, OnlyTheValueIsRequired)
{
    const Decoded d = decodeGrid("GB-13", R"({"g_co2e_per_kwh": 0})");
    ASSERT_TRUE(std::holds_alternative<GridIntensity>(d));
    const auto &g = std::get<GridIntensity>(d);
    EXPECT_EQ(g.gCo2ePerKwh, 0.0);
    EXPECT_EQ(g.timestampNs, kReceipt);
    EXPECT_TRUE(g.timestampFromReceipt);
    EXPECT_TRUE(g.source.isEmpty());
    EXPECT_EQ(g.kind, IntensityKind::Lifecycle);
    const auto &m = std::get<GridIntensity>(
        decodeGrid("X", R"({"g_co2e_per_kwh":700,"kind":"marginal","estimated":true})"));
    EXPECT_EQ(m.kind, IntensityKind::Marginal);
    EXPECT_TRUE(m.estimated);
}

TEST(GridFields, BadPayloadsAreRejectedWithAReason)
{
    using RR = RejectReason;
    const struct
    {
        const char *payload;
        RR reason;
    } cases[] = {
        {R"({})", RR::MissingKey},
        {R"({"g_co2e_per_kwh":"300"})", RR::WrongType},
        {R"({"g_co2e_per_kwh":-1})", RR::Negative},
        {R"({"g_co2e_per_kwh":5001})", RR::AboveCeiling},
        {R"({"g_co2e_per_kwh":300,"kind":"average"})", RR::WrongType},
        {R"({"g_co2e_per_kwh":300,"kind":1})", RR::WrongType},
        {R"({"g_co2e_per_kwh":300,"estimated":"no"})", RR::WrongType},
        {R"({"g_co2e_per_kwh":300,"timestamp":-5})", RR::BadTimestamp},
        {R"({"g_co2e_per_kwh":300,"source":""})", RR::BadIdentifier},
        {R"([300])", RR::NotAnObject},
        {R"(not json)", RR::NotJson},
    };
    for (const auto &c : cases) {
        const Rejection r = rejection(decodeGrid("DE", c.payload));
        EXPECT_EQ(r.reason, c.reason) << c.payload << " -> " << r.detail.toStdString();
        EXPECT_FALSE(r.detail.isEmpty());
    }
    EXPECT_EQ(rejection(decodeGrid("a+b", R"({"g_co2e_per_kwh":1})")).reason, RR::BadIdentifier);
}

TEST(GridFields, EncodeRoundTrips)
{
    GridIntensity g;
    g.zone = QStringLiteral("US-CAL-CISO");
    g.gCo2ePerKwh = 212.25;
    g.timestampNs = kReceipt + 500'000'000;
    g.source = QStringLiteral("file");
    g.kind = IntensityKind::Direct;
    g.estimated = true;
    const QByteArray payload = encode(g);
    EXPECT_EQ(payload, QByteArray(R"({"g_co2e_per_kwh":212.25,"timestamp":1764049200.5,)"
                                  R"("source":"file","kind":"direct","estimated":true})"));
    const Decoded d = decodeGrid("US-CAL-CISO", payload);
    ASSERT_TRUE(std::holds_alternative<GridIntensity>(d));
    const auto &back = std::get<GridIntensity>(d);
    EXPECT_EQ(back.zone, g.zone);
    EXPECT_EQ(back.gCo2ePerKwh, g.gCo2ePerKwh);
    EXPECT_EQ(back.timestampNs, g.timestampNs);
    EXPECT_EQ(back.source, g.source);
    EXPECT_EQ(back.kind, g.kind);
    EXPECT_EQ(back.estimated, g.estimated);
}

TEST(GridFields, APowerSampleMayNameItsZone)
{
    const QByteArray payload = R"({"host":"h","watts":100,"zone":"DE"})";
    const Decoded fast = decode(topics::kPower, payload, kReceipt);
    const Decoded reference = decodeReference(topics::kPower, payload, kReceipt);
    ASSERT_TRUE(std::holds_alternative<PowerSample>(fast));
    EXPECT_EQ(std::get<PowerSample>(fast).zone, QStringLiteral("DE"));
    ASSERT_TRUE(std::holds_alternative<PowerSample>(reference));
    EXPECT_EQ(std::get<PowerSample>(reference).zone, QStringLiteral("DE"));

    PowerSample s;
    s.host = QStringLiteral("h");
    s.watts = 5;
    s.timestampNs = kReceipt;
    s.zone = QStringLiteral("GB-13");
    EXPECT_EQ(std::get<PowerSample>(decode(topics::kPower, encode(s), kReceipt)).zone, s.zone);
    EXPECT_EQ(rejection(decode(topics::kPower, R"({"host":"h","watts":1,"zone":"a/b"})", kReceipt))
                  .reason,
              RejectReason::BadIdentifier);
    // Without a zone nothing changes: the seed's payloads decode as before.
    EXPECT_TRUE(std::get<PowerSample>(decode(topics::kPower, R"({"host":"h","watts":1})", kReceipt))
                    .zone.isEmpty());
}
