// greenpulse-grid's pure parts: the schedule CSV, ISO times, the providers' documented JSON
// shapes, when to poll next, and the publisher's cache (never the same reading twice, nothing
// the decoder would reject).
#include "GridCounters.h"
#include "GridPublisher.h"
#include "RecordingMqttClient.h"
#include "protocol/Protocol.h"
#include "providers/ElectricityMapsProvider.h"
#include "providers/IsoTime.h"
#include "providers/ScheduleFile.h"
#include "providers/UkCarbonIntensityProvider.h"
#include "providers/ZoneCode.h"

#include <gtest/gtest.h>

using namespace greenpulse;
using core::TimeNs;
using grid::ParseFailure;
using grid::ProviderError;
using grid::ProviderReading;
using test::RecordingMqttClient;

namespace {

constexpr TimeNs kS = 1'000'000'000LL;

TimeNs iso(const char *text)
{
    return grid::parseIsoTime(QString::fromLatin1(text)).value();
}

ProviderReading reading(const grid::ParseResult &result)
{
    if (const auto *failure = std::get_if<ParseFailure>(&result)) {
        ADD_FAILURE() << "parse failed: " << failure->message.toStdString();
        return {};
    }
    return std::get<ProviderReading>(result);
}

ProviderError failure(const grid::ParseResult &result)
{
    EXPECT_TRUE(std::holds_alternative<ParseFailure>(result));
    return std::holds_alternative<ParseFailure>(result) ? std::get<ParseFailure>(result).error
                                                        : ProviderError::Count;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// ISO 8601 as the providers write it

TEST(GridIsoTime, ReadsEveryProvidersSpelling)
{
    const TimeNs t = 1'558'396'800LL * kS; // 2019-05-21T00:00:00Z
    EXPECT_EQ(grid::parseIsoTime(QStringLiteral("2019-05-21T00:00:00.000Z")), t);
    EXPECT_EQ(grid::parseIsoTime(QStringLiteral("2019-05-21T00:00Z")), t); // no seconds (UK)
    EXPECT_EQ(grid::parseIsoTime(QStringLiteral("2019-05-21T02:00:00+02:00")), t);
    EXPECT_EQ(grid::parseIsoTime(QStringLiteral("2019-05-21T00:00:00")), t); // no offset: UTC
    EXPECT_FALSE(grid::parseIsoTime(QStringLiteral("2019-05-21")).has_value());
    EXPECT_FALSE(grid::parseIsoTime(QStringLiteral("yesterday noon")).has_value());
    EXPECT_FALSE(grid::parseIsoTime(QString()).has_value());
}

// ---------------------------------------------------------------------------------------------
// The schedule CSV

TEST(GridSchedule, ReadsIsoAndEpochRowsAndFindsTheValueInForce)
{
    grid::ScheduleFile schedule;
    QStringList errors;
    ASSERT_TRUE(schedule.parse("zone,from,to,g_co2e_per_kwh\n"
                               "# a comment, then a blank line\n"
                               "\n"
                               "DE,2025-11-25T00:00:00Z,2025-11-25T01:00:00Z,300\n"
                               "DE, 1764032400 , ,450.5\n" // 01:00Z, open: until the next row
                               "DE,2025-11-25T03:00:00+01:00,2025-11-25T04:00:00+01:00,120\n"
                               "GB-13,1764028800000,1764032400000,200\n", // ms
                               &errors))
        << errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(schedule.zones(), (QStringList{QStringLiteral("DE"), QStringLiteral("GB-13")}));
    const QString de = QStringLiteral("DE");
    EXPECT_EQ(schedule.inForce(de, iso("2025-11-24T23:59:59Z")), nullptr);
    ASSERT_NE(schedule.inForce(de, iso("2025-11-25T00:00:00Z")), nullptr);
    EXPECT_EQ(schedule.inForce(de, iso("2025-11-25T00:00:00Z"))->gPerKwh, 300);
    EXPECT_EQ(schedule.inForce(de, iso("2025-11-25T01:30:00Z"))->gPerKwh, 450.5);
    EXPECT_EQ(schedule.inForce(de, iso("2025-11-25T02:30:00Z"))->gPerKwh, 120);
    EXPECT_EQ(schedule.inForce(de, iso("2025-11-25T03:00:00Z")), nullptr); // the last row ended
    EXPECT_EQ(schedule.nextChange(de, iso("2025-11-25T00:10:00Z")), iso("2025-11-25T01:00:00Z"));
    EXPECT_EQ(schedule.nextChange(de, iso("2025-11-25T02:10:00Z")), iso("2025-11-25T03:00:00Z"));
    EXPECT_FALSE(schedule.nextChange(de, iso("2025-11-25T03:00:00Z")).has_value());
    EXPECT_EQ(schedule.inForce(QStringLiteral("GB-13"), iso("2025-11-25T00:30:00Z"))->gPerKwh, 200);
}

TEST(GridSchedule, BadLinesRefuseTheWholeFileWithTheirLineNumbers)
{
    grid::ScheduleFile schedule;
    QStringList errors;
    EXPECT_FALSE(schedule.parse("DE,2025-11-25T00:00Z,2025-11-25T01:00Z,300\n"
                                "DE,2025-11-25T00:00Z,300\n"                   // 2: 3 fields
                                "DE,soon,2025-11-25T01:00Z,300\n"              // 3: bad from
                                "DE,2025-11-25T02:00Z,2025-11-25T01:00Z,1\n"   // 4: to before from
                                "DE,2025-11-25T05:00Z,,-1\n"                   // 5: negative
                                "DE,2025-11-25T06:00Z,,9000\n"                 // 6: absurd
                                "a/b,2025-11-25T07:00Z,,1\n"                   // 7: bad zone
                                "DE,2025-11-25T00:30Z,2025-11-25T00:45Z,10\n", // 8: overlaps 1
                                &errors));
    const QString all = errors.join(QLatin1Char('\n'));
    for (const char *expected :
         {"line 2: 3 fields", "line 3: \"from\" \"soon\"", "line 4: \"to\" is not after",
          "line 5: g_co2e_per_kwh \"-1\"", "line 6: g_co2e_per_kwh \"9000\"",
          "line 7: zone \"a/b\"", "line 8: zone DE overlaps line 1"}) {
        EXPECT_TRUE(all.contains(QLatin1String(expected))) << expected << "\n" << all.toStdString();
    }
    EXPECT_TRUE(schedule.zones().isEmpty()); // nothing half read
    // A header is the word "zone"; a zone named like "zone1" in the first line is a row.
    ASSERT_TRUE(schedule.parse("zone1,2025-11-25T00:00Z,,10\n", &errors));
    EXPECT_EQ(schedule.zones(), QStringList{QStringLiteral("zone1")});
    EXPECT_FALSE(schedule.parse("# only a comment\n", &errors));
}

// ---------------------------------------------------------------------------------------------
// Electricity Maps: GET /v3/carbon-intensity/latest (the documented answer)

TEST(GridElectricityMaps, ParsesTheDocumentedAnswer)
{
    const QByteArray body = R"({"zone":"DE","carbonIntensity":302,
        "datetime":"2019-05-21T00:00:00.000Z","updatedAt":"2019-05-20T23:27:20.000Z",
        "createdAt":"2019-05-17T23:27:20.000Z","emissionFactorType":"lifecycle",
        "isEstimated":false,"estimationMethod":null})";
    const ProviderReading r =
        reading(grid::ElectricityMapsProvider::parseLatest(QStringLiteral("DE"), body));
    EXPECT_EQ(r.intensity.gCo2ePerKwh, 302);
    EXPECT_EQ(r.intensity.timestampNs, iso("2019-05-21T00:00:00Z"));
    EXPECT_EQ(r.intensity.kind, core::IntensityKind::Lifecycle);
    EXPECT_FALSE(r.intensity.estimated);
    EXPECT_EQ(r.intensity.source, QStringLiteral("electricitymaps"));
    EXPECT_EQ(r.validUntilNs, iso("2019-05-21T01:00:00Z")); // hourly data

    const QByteArray direct = R"({"zone":"DE","carbonIntensity":250.5,
        "datetime":"2019-05-21T01:00:00.000Z","emissionFactorType":"direct","isEstimated":true,
        "estimationMethod":"TIME_SLICER_AVERAGE"})";
    const ProviderReading d =
        reading(grid::ElectricityMapsProvider::parseLatest(QStringLiteral("DE"), direct));
    EXPECT_EQ(d.intensity.kind, core::IntensityKind::Direct);
    EXPECT_TRUE(d.intensity.estimated);
}

TEST(GridElectricityMaps, GarbageIsAClearFailure)
{
    auto parse = [](const QByteArray &body) {
        return failure(grid::ElectricityMapsProvider::parseLatest(QStringLiteral("DE"), body));
    };
    EXPECT_EQ(parse("<html>502 Bad Gateway</html>"), ProviderError::NotJson);
    EXPECT_EQ(parse("[1,2]"), ProviderError::WrongShape);
    EXPECT_EQ(parse(R"({"zone":"DE","datetime":"2019-05-21T00:00:00Z"})"),
              ProviderError::WrongShape); // no value
    EXPECT_EQ(parse(R"({"zone":"DE","carbonIntensity":null,"datetime":"2019-05-21T00:00Z"})"),
              ProviderError::WrongShape);
    EXPECT_EQ(parse(R"({"zone":"DE","carbonIntensity":"302","datetime":"2019-05-21T00:00Z"})"),
              ProviderError::WrongShape);
    EXPECT_EQ(parse(R"({"zone":"DE","carbonIntensity":302})"), ProviderError::WrongShape);
    EXPECT_EQ(parse(R"({"zone":"FR","carbonIntensity":50,"datetime":"2019-05-21T00:00Z"})"),
              ProviderError::WrongShape); // the API's fallback to another zone
    EXPECT_EQ(parse(R"({"zone":"DE","carbonIntensity":5,"datetime":"2019-05-21T00:00Z",
                       "emissionFactorType":"marginal-ish"})"),
              ProviderError::WrongShape);
}

// ---------------------------------------------------------------------------------------------
// UK Carbon Intensity API: /intensity and /regional/regionid/<id> (the documented answers)

TEST(GridUk, NationalActualElseForecast)
{
    const QString gb = QStringLiteral("GB");
    const ProviderReading actual = reading(grid::UkCarbonIntensityProvider::parseAnswer(
        gb, R"({"data":[{"from":"2018-01-20T12:00Z","to":"2018-01-20T12:30Z",
                "intensity":{"forecast":266,"actual":263,"index":"moderate"}}]})"));
    EXPECT_EQ(actual.intensity.gCo2ePerKwh, 263);
    EXPECT_FALSE(actual.intensity.estimated);
    EXPECT_EQ(actual.intensity.kind, core::IntensityKind::Direct);
    EXPECT_EQ(actual.intensity.timestampNs, iso("2018-01-20T12:00:00Z"));
    EXPECT_EQ(actual.validUntilNs, iso("2018-01-20T12:30:00Z"));
    EXPECT_EQ(actual.intensity.source, QStringLiteral("carbonintensity.org.uk"));

    const ProviderReading forecast = reading(grid::UkCarbonIntensityProvider::parseAnswer(
        gb, R"({"data":[{"from":"2018-01-20T12:30Z","to":"2018-01-20T13:00Z",
                "intensity":{"forecast":270,"actual":null,"index":"moderate"}}]})"));
    EXPECT_EQ(forecast.intensity.gCo2ePerKwh, 270);
    EXPECT_TRUE(forecast.intensity.estimated);
}

TEST(GridUk, RegionalForecastAndZones)
{
    const ProviderReading r = reading(grid::UkCarbonIntensityProvider::parseAnswer(
        QStringLiteral("GB-13"),
        R"({"data":[{"regionid":13,"dnoregion":"UKPN London","shortname":"London",
            "data":[{"from":"2018-01-20T12:00Z","to":"2018-01-20T12:30Z",
                     "intensity":{"forecast":266,"index":"moderate"},
                     "generationmix":[{"fuel":"gas","perc":43.6},{"fuel":"wind","perc":6.8}]}]}]})"));
    EXPECT_EQ(r.intensity.gCo2ePerKwh, 266);
    EXPECT_TRUE(r.intensity.estimated);
    EXPECT_EQ(r.validUntilNs, iso("2018-01-20T12:30:00Z"));

    EXPECT_EQ(failure(grid::UkCarbonIntensityProvider::parseAnswer(
                  QStringLiteral("GB-3"), R"({"data":[{"regionid":13,"data":[]}]})")),
              ProviderError::WrongShape); // another region's answer
    EXPECT_EQ(failure(grid::UkCarbonIntensityProvider::parseAnswer(QStringLiteral("GB"),
                                                                   R"({"data":[]})")),
              ProviderError::WrongShape);
    EXPECT_EQ(failure(grid::UkCarbonIntensityProvider::parseAnswer(
                  QStringLiteral("GB"), R"({"data":[{"from":"2018-01-20T12:00Z",
                  "to":"2018-01-20T12:30Z","intensity":{"index":"moderate"}}]})")),
              ProviderError::WrongShape);
    EXPECT_EQ(failure(grid::UkCarbonIntensityProvider::parseAnswer(QStringLiteral("GB"), "{")),
              ProviderError::NotJson);

    EXPECT_EQ(grid::UkCarbonIntensityProvider::regionOf(QStringLiteral("GB")), 0);
    EXPECT_EQ(grid::UkCarbonIntensityProvider::regionOf(QStringLiteral("GB-17")), 17);
    EXPECT_FALSE(grid::UkCarbonIntensityProvider::regionOf(QStringLiteral("GB-18")));
    EXPECT_FALSE(grid::UkCarbonIntensityProvider::regionOf(QStringLiteral("GB-013")));
    EXPECT_FALSE(grid::UkCarbonIntensityProvider::regionOf(QStringLiteral("DE")));
}

// ---------------------------------------------------------------------------------------------
// When to ask again, and what is absurd

TEST(GridPolling, NextPollAtTheEndOfThePeriodPlusMarginWithinFloorAndCeiling)
{
    grid::HttpPollSettings s;
    s.minPollS = 60;
    s.maxPollS = 3600;
    s.marginS = 30;
    const TimeNs now = iso("2025-11-25T12:10:00Z");
    // UK: the half hour ends at 12:30 -> 20 min + 30 s.
    EXPECT_EQ(grid::HttpProvider::nextPollDelayMs(iso("2025-11-25T12:30:00Z"), now, s),
              (20 * 60 + 30) * 1000);
    // Electricity Maps: the hour ends at 13:00 -> 50 min + 30 s.
    EXPECT_EQ(grid::HttpProvider::nextPollDelayMs(iso("2025-11-25T13:00:00Z"), now, s),
              (50 * 60 + 30) * 1000);
    // The provider is late (its period ended already): the floor, not a burst of requests.
    EXPECT_EQ(grid::HttpProvider::nextPollDelayMs(iso("2025-11-25T12:00:00Z"), now, s), 60'000);
    // Far away or unknown: the ceiling.
    EXPECT_EQ(grid::HttpProvider::nextPollDelayMs(iso("2025-11-26T12:00:00Z"), now, s), 3'600'000);
    EXPECT_EQ(grid::HttpProvider::nextPollDelayMs(0, now, s), 3'600'000);
}

TEST(GridPolling, AbsurdValuesAndTimes)
{
    const TimeNs now = iso("2025-11-25T12:00:00Z");
    core::GridIntensity i;
    i.timestampNs = iso("2025-11-25T11:00:00Z");
    i.gCo2ePerKwh = 250;
    EXPECT_FALSE(grid::HttpProvider::absurdity(i, now).has_value());
    i.gCo2ePerKwh = -1;
    EXPECT_EQ(grid::HttpProvider::absurdity(i, now)->error, ProviderError::AbsurdValue);
    i.gCo2ePerKwh = 5001;
    EXPECT_EQ(grid::HttpProvider::absurdity(i, now)->error, ProviderError::AbsurdValue);
    i.gCo2ePerKwh = 250;
    i.timestampNs = iso("1999-12-31T23:00:00Z");
    EXPECT_TRUE(grid::HttpProvider::absurdity(i, now).has_value());
    i.timestampNs = iso("2025-11-27T12:00:00Z"); // two days ahead
    EXPECT_TRUE(grid::HttpProvider::absurdity(i, now).has_value());
}

TEST(GridZones, TheDecoderDecidesWhatAZoneMayBe)
{
    EXPECT_FALSE(grid::zoneProblem(QStringLiteral("US-CAL-CISO")).has_value());
    EXPECT_TRUE(grid::zoneProblem(QString()).has_value());
    EXPECT_TRUE(grid::zoneProblem(QStringLiteral("a/b")).has_value());
    EXPECT_TRUE(grid::zoneProblem(QStringLiteral("a+")).has_value());
    EXPECT_TRUE(grid::zoneProblem(QString(300, QLatin1Char('z'))).has_value());
}

// ---------------------------------------------------------------------------------------------
// The publisher's cache

TEST(GridPublisher, PublishesRetainedAndNeverTheSameReadingTwice)
{
    RecordingMqttClient client;
    grid::GridCounters counters;
    core::ManualClock clock(iso("2025-11-25T12:00:00Z"));
    grid::GridPublisher publisher(client, counters, clock);
    core::GridIntensity i;
    i.zone = QStringLiteral("DE");
    i.gCo2ePerKwh = 312.5;
    i.timestampNs = iso("2025-11-25T12:00:00Z");
    i.source = QStringLiteral("electricitymaps");
    EXPECT_TRUE(publisher.offer(i));
    EXPECT_FALSE(publisher.offer(i));            // the same reading again: not sent
    i.timestampNs = iso("2025-11-25T13:00:00Z"); // same value, next hour: a new reading
    EXPECT_TRUE(publisher.offer(i));
    i.estimated = true;
    EXPECT_TRUE(publisher.offer(i));
    ASSERT_EQ(client.published.size(), 3);
    EXPECT_EQ(counters.published(), 3u);
    EXPECT_EQ(counters.unchanged(), 1u);
    const auto &m = client.published.last();
    EXPECT_EQ(m.topic, QByteArray("greenpulse/grid/DE/carbon_intensity"));
    EXPECT_TRUE(m.retain);
    EXPECT_EQ(m.qos, 1);
    const core::Decoded d = core::decode(m.topic, m.payload, clock.nowNs());
    ASSERT_TRUE(std::holds_alternative<core::GridIntensity>(d));
    const auto &back = std::get<core::GridIntensity>(d);
    EXPECT_EQ(back.zone, QStringLiteral("DE"));
    EXPECT_EQ(back.gCo2ePerKwh, 312.5);
    EXPECT_EQ(back.timestampNs, iso("2025-11-25T13:00:00Z"));
    EXPECT_TRUE(back.estimated);
    EXPECT_EQ(publisher.lastJson()
                  .value(QStringLiteral("DE"))
                  .toObject()
                  .value(QStringLiteral("g_co2e_per_kwh")),
              312.5);
}

TEST(GridPublisher, WhatTheDecoderRejectsIsCountedNotSent)
{
    RecordingMqttClient client;
    grid::GridCounters counters;
    core::ManualClock clock(iso("2025-11-25T12:00:00Z"));
    grid::GridPublisher publisher(client, counters, clock);
    core::GridIntensity i;
    i.zone = QStringLiteral("DE");
    i.gCo2ePerKwh = 9000; // above the wire contract's ceiling
    i.timestampNs = clock.nowNs();
    EXPECT_FALSE(publisher.offer(i));
    EXPECT_TRUE(client.published.isEmpty());
    EXPECT_EQ(counters.errors(ProviderError::Rejected), 1u);
    EXPECT_EQ(counters.toJson()
                  .value(QStringLiteral("errors"))
                  .toObject()
                  .value(QStringLiteral("rejected")),
              1);
}
