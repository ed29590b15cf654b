// greenpulse-grid's HTTP providers against a local HTTP server (FakeHttpServer) that replays the
// answers Electricity Maps and the UK Carbon Intensity API document: there is no internet here,
// and a real provider cannot be made to fail on demand. Errors (500, 401, 429), timeouts,
// garbage and oversized answers are each counted by kind and give no reading; the next request
// waits for the end of the provider's period.
#include "FakeHttpServer.h"
#include "GridCounters.h"
#include "LogCapture.h"
#include "TestCertificates.h"
#include "TestSupport.h"
#include "providers/ElectricityMapsProvider.h"
#include "providers/IsoTime.h"
#include "providers/UkCarbonIntensityProvider.h"

#include <QNetworkAccessManager>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse;
using grid::ProviderError;

namespace {

const QByteArray kToken = "em-test-token-5f3a9c";

// Electricity Maps' documented answer for DE at `datetime`.
QByteArray emAnswer(double value, const char *datetime, bool estimated = false)
{
    return QStringLiteral(R"({"zone":"DE","carbonIntensity":%1,"datetime":"%2",)"
                          R"("updatedAt":"2025-11-25T11:58:00.000Z","createdAt":)"
                          R"("2025-11-22T12:01:00.000Z","emissionFactorType":"lifecycle",)"
                          R"("isEstimated":%3,"estimationMethod":null})")
        .arg(value)
        .arg(QLatin1String(datetime), estimated ? QStringLiteral("true") : QStringLiteral("false"))
        .toUtf8();
}

// Records what a provider emits.
struct Recorder
{
    explicit Recorder(grid::HttpProvider &provider)
    {
        QObject::connect(&provider, &grid::IntensityProvider::reading, &provider,
                         [this](const core::GridIntensity &i) { readings.append(i); });
        QObject::connect(&provider, &grid::IntensityProvider::failed, &provider,
                         [this](ProviderError e, const QString &, const QString &message) {
                             errors.append(e);
                             messages.append(message);
                         });
        QObject::connect(&provider, &grid::HttpProvider::pollScheduled, &provider,
                         [this](const QString &, qint64 delayMs) { delays.append(delayMs); });
    }
    QList<core::GridIntensity> readings;
    QList<ProviderError> errors;
    QStringList messages;
    QList<qint64> delays;
};

class GridHttp : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_http.listen()); }

    // Fast retries so that the tests see several requests: floor 50 ms, ceiling 400 ms.
    static grid::HttpPollSettings fastPolling()
    {
        grid::HttpPollSettings s;
        s.minPollS = 0.05;
        s.maxPollS = 0.4;
        s.marginS = 0;
        s.timeoutMs = 2000;
        return s;
    }

    std::unique_ptr<grid::ElectricityMapsProvider>
    electricityMaps(grid::HttpPollSettings poll = fastPolling(),
                    QStringList zones = {QStringLiteral("DE")})
    {
        return std::make_unique<grid::ElectricityMapsProvider>(
            std::move(zones),
            grid::ElectricityMapsProvider::Settings{m_http.url(), QString::fromLatin1(kToken)},
            poll, m_network, m_clock, m_counters);
    }

    test::FakeHttpServer m_http;
    QNetworkAccessManager m_network;
    core::SystemClock m_clock;
    grid::GridCounters m_counters;
};

} // namespace

TEST_F(GridHttp, ElectricityMapsSendsTheTokenAndPublishesTheProvidersTimestamp)
{
    test::LogCapture logs;
    m_http.enqueue(200, emAnswer(312.5, "2025-11-25T12:00:00.000Z"));
    auto provider = electricityMaps();
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return !rec.readings.isEmpty(); }, 5000));
    provider->stop();
    ASSERT_EQ(m_http.requestCount(), 1);
    const auto &request = m_http.requests().first();
    EXPECT_EQ(request.method, QByteArray("GET"));
    EXPECT_EQ(request.target, QByteArray("/v3/carbon-intensity/latest?zone=DE"));
    EXPECT_EQ(request.headers.value("auth-token"), kToken);
    const core::GridIntensity &i = rec.readings.first();
    EXPECT_EQ(i.zone, QStringLiteral("DE"));
    EXPECT_EQ(i.gCo2ePerKwh, 312.5);
    EXPECT_EQ(i.timestampNs, grid::parseIsoTime(QStringLiteral("2025-11-25T12:00:00Z")));
    EXPECT_EQ(i.kind, core::IntensityKind::Lifecycle);
    EXPECT_FALSE(i.estimated);
    EXPECT_EQ(m_counters.requests(), 1u);
    EXPECT_EQ(m_counters.totalErrors(), 0u);
    EXPECT_FALSE(logs.contains(QString::fromLatin1(kToken))); // a secret, never logged
}

TEST_F(GridHttp, NextRequestWhenTheProvidersHourEnds)
{
    // A reading for the current hour: the next request at its end plus the margin, not sooner.
    grid::HttpPollSettings poll;
    poll.minPollS = 60;
    poll.maxPollS = 7200;
    poll.marginS = 120;
    const core::TimeNs now = m_clock.nowNs();
    const core::TimeNs hourStart = now - now % (3600LL * 1'000'000'000LL);
    m_http.enqueue(200, emAnswer(200, grid::isoTime(hourStart).toLatin1().constData()));
    auto provider = electricityMaps(poll);
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return !rec.delays.isEmpty(); }, 5000));
    provider->stop();
    const qint64 expected = (hourStart + 3600LL * 1'000'000'000LL - now) / 1'000'000 + 120'000;
    EXPECT_NEAR(static_cast<double>(rec.delays.first()), static_cast<double>(expected), 5000.0);
    EXPECT_GE(rec.delays.first(), 60'000);
}

TEST_F(GridHttp, ServerErrorsBackOffThenTheValueComes)
{
    m_http.enqueue(500, R"({"error":"internal"})");
    m_http.enqueue(503, R"({"error":"overloaded"})");
    m_http.enqueue(200, emAnswer(250, "2025-11-25T12:00:00.000Z"));
    auto provider = electricityMaps();
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return !rec.readings.isEmpty(); }, 10000));
    provider->stop();
    EXPECT_EQ(rec.errors,
              (QList<ProviderError>{ProviderError::HttpStatus, ProviderError::HttpStatus}));
    EXPECT_TRUE(rec.messages.first().contains(QLatin1String("HTTP 500")))
        << rec.messages.first().toStdString();
    EXPECT_EQ(m_counters.errors(ProviderError::HttpStatus), 2u);
    EXPECT_EQ(m_http.requestCount(), 3);
    // Backoff: the second retry waited at least as long as the first, both at least the floor.
    ASSERT_GE(rec.delays.size(), 2);
    EXPECT_GE(rec.delays[0], 50);
    EXPECT_GE(rec.delays[1], rec.delays[0]);
    const auto &requests = m_http.requests();
    EXPECT_GE(requests[1].receivedMs - requests[0].receivedMs, 45);
}

TEST_F(GridHttp, UnauthorizedWaitsTheCeilingAndNamesTheToken)
{
    m_http.setDefault(401);
    auto provider = electricityMaps();
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return !rec.errors.isEmpty(); }, 5000));
    provider->stop();
    EXPECT_EQ(rec.errors.first(), ProviderError::Auth);
    EXPECT_TRUE(rec.messages.first().contains(QLatin1String("token")));
    EXPECT_FALSE(rec.messages.first().contains(QString::fromLatin1(kToken)));
    EXPECT_EQ(rec.delays.first(), 400); // straight to the ceiling: retrying soon will not help
    EXPECT_TRUE(rec.readings.isEmpty());
}

TEST_F(GridHttp, RateLimitedHonoursRetryAfter)
{
    m_http.enqueue(429, {}, {{"Retry-After", "2"}});
    auto provider = electricityMaps();
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return !rec.delays.isEmpty(); }, 5000));
    provider->stop();
    EXPECT_EQ(rec.errors.first(), ProviderError::RateLimited);
    EXPECT_GE(rec.delays.first(), 2000); // the server's delay, above our ceiling
}

TEST_F(GridHttp, ATimeoutIsCountedAndRetried)
{
    m_http.enqueue(test::FakeHttpServer::misbehave(test::FakeHttpServer::Action::NoAnswer));
    m_http.enqueue(200, emAnswer(180, "2025-11-25T12:00:00.000Z"));
    grid::HttpPollSettings poll = fastPolling();
    poll.timeoutMs = 300;
    auto provider = electricityMaps(poll);
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return !rec.readings.isEmpty(); }, 10000));
    provider->stop();
    ASSERT_FALSE(rec.errors.isEmpty());
    EXPECT_EQ(rec.errors.first(), ProviderError::Timeout);
    EXPECT_EQ(m_counters.errors(ProviderError::Timeout), 1u);
    EXPECT_EQ(rec.readings.first().gCo2ePerKwh, 180);
}

TEST_F(GridHttp, GarbageGivesNoReadingAndIsCountedByKind)
{
    m_http.enqueue(200, "<html><body>Gateway error</body></html>");
    m_http.enqueue(200, R"({"message":"zone not found"})");
    m_http.enqueue(200, emAnswer(99999, "2025-11-25T12:00:00.000Z"));
    m_http.enqueue(200, emAnswer(300, "1970-01-02T00:00:00.000Z"));
    m_http.enqueue(200, QByteArray(R"({"zone":"FR","carbonIntensity":40,)"
                                   R"("datetime":"2025-11-25T12:00:00.000Z"})"));
    m_http.enqueue(200, "{\"padding\":\"" + QByteArray(4000, 'x') + "\"}");
    grid::HttpPollSettings poll = fastPolling();
    poll.maxBodyBytes = 1000;
    auto provider = electricityMaps(poll);
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return rec.errors.size() >= 6; }, 15000));
    provider->stop();
    EXPECT_EQ(rec.errors.mid(0, 6),
              (QList<ProviderError>{ProviderError::NotJson, ProviderError::WrongShape,
                                    ProviderError::AbsurdValue, ProviderError::AbsurdValue,
                                    ProviderError::WrongShape, ProviderError::TooLarge}));
    EXPECT_TRUE(rec.readings.isEmpty());
    const QJsonObject errors = m_counters.toJson().value(QStringLiteral("errors")).toObject();
    EXPECT_EQ(errors.value(QStringLiteral("not_json")).toInt(), 1);
    EXPECT_EQ(errors.value(QStringLiteral("absurd_value")).toInt(), 2);
    EXPECT_GE(errors.value(QStringLiteral("too_large")).toInt(), 1);
}

TEST_F(GridHttp, UkNationalAndRegionalPaths)
{
    const core::TimeNs now = m_clock.nowNs();
    const core::TimeNs halfHour = 1800LL * 1'000'000'000LL;
    const core::TimeNs from = now - now % halfHour;
    const QString fromText = grid::isoTime(from).left(16) + QLatin1Char('Z'); // "...T12:00Z"
    const QString toText = grid::isoTime(from + halfHour).left(16) + QLatin1Char('Z');
    m_http.enqueue(200, QStringLiteral(R"({"data":[{"from":"%1","to":"%2","intensity":)"
                                       R"({"forecast":120,"actual":null,"index":"low"}}]})")
                            .arg(fromText, toText)
                            .toUtf8());
    m_http.enqueue(200, QStringLiteral(R"({"data":[{"regionid":13,"dnoregion":"UKPN London",)"
                                       R"("shortname":"London","data":[{"from":"%1","to":"%2",)"
                                       R"("intensity":{"forecast":95,"index":"low"},)"
                                       R"("generationmix":[{"fuel":"wind","perc":40}]}]}]})")
                            .arg(fromText, toText)
                            .toUtf8());
    grid::HttpPollSettings poll;
    poll.minPollS = 1;
    poll.maxPollS = 3600;
    poll.marginS = 30;
    grid::UkCarbonIntensityProvider provider({QStringLiteral("GB"), QStringLiteral("GB-13")},
                                             m_http.url(), poll, m_network, m_clock, m_counters);
    QList<core::GridIntensity> readings;
    QList<qint64> delays;
    QObject::connect(&provider, &grid::IntensityProvider::reading, &provider,
                     [&](const core::GridIntensity &i) { readings.append(i); });
    QObject::connect(&provider, &grid::HttpProvider::pollScheduled, &provider,
                     [&](const QString &, qint64 d) { delays.append(d); });
    provider.start();
    ASSERT_TRUE(test::waitUntil([&] { return readings.size() == 2; }, 5000));
    provider.stop();
    QStringList targets;
    for (const auto &r : m_http.requests()) {
        targets.append(QString::fromLatin1(r.target));
    }
    targets.sort();
    EXPECT_EQ(targets,
              (QStringList{QStringLiteral("/intensity"), QStringLiteral("/regional/regionid/13")}));
    for (const core::GridIntensity &i : readings) {
        EXPECT_EQ(i.timestampNs, from);
        EXPECT_TRUE(i.estimated); // forecasts
        EXPECT_EQ(i.kind, core::IntensityKind::Direct);
        EXPECT_EQ(i.gCo2ePerKwh, i.zone == QLatin1String("GB") ? 120 : 95);
    }
    // Both next requests at the end of the half hour plus 30 s.
    const qint64 expected = (from + halfHour - now) / 1'000'000 + 30'000;
    for (const qint64 d : delays) {
        EXPECT_NEAR(static_cast<double>(d), static_cast<double>(expected), 5000.0);
    }
}

// https, as the real providers are: the provider verifies the server against the trusted CAs.
TEST(GridHttps, ATrustedServerAnswersAndAnUntrustedOneNeverSeesTheToken)
{
    QTemporaryDir dir;
    const QString error = test::makeCertificates(dir.path());
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    test::FakeHttpServer http;
    ASSERT_TRUE(http.listenTls(dir.filePath(QStringLiteral("server.crt")),
                               dir.filePath(QStringLiteral("server.key"))));
    ASSERT_TRUE(http.url().startsWith(QStringLiteral("https://")));
    http.setDefault(200);
    grid::HttpPollSettings poll;
    poll.minPollS = 60;
    poll.timeoutMs = 5000;
    core::SystemClock clock;
    grid::GridCounters counters;
    {
        // Untrusted (the test CA is not in the default list): a network error, nothing sent.
        QNetworkAccessManager network;
        grid::ElectricityMapsProvider provider(
            {QStringLiteral("DE")},
            grid::ElectricityMapsProvider::Settings{http.url(), QString::fromLatin1(kToken)}, poll,
            network, clock, counters);
        Recorder rec(provider);
        provider.start();
        ASSERT_TRUE(test::waitUntil([&] { return !rec.errors.isEmpty(); }, 10000));
        provider.stop();
        EXPECT_EQ(rec.errors.first(), ProviderError::Network);
        EXPECT_EQ(http.requestCount(), 0);
    }
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    ASSERT_TRUE(trusting.addCaCertificates(dir.filePath(QStringLiteral("ca.crt"))));
    test::DefaultTls tls(trusting);
    http.enqueue(200, emAnswer(333, "2025-11-25T12:00:00.000Z"));
    QNetworkAccessManager network;
    grid::ElectricityMapsProvider provider(
        {QStringLiteral("DE")},
        grid::ElectricityMapsProvider::Settings{http.url(), QString::fromLatin1(kToken)}, poll,
        network, clock, counters);
    Recorder rec(provider);
    provider.start();
    ASSERT_TRUE(
        test::waitUntil([&] { return !rec.readings.isEmpty() || !rec.errors.isEmpty(); }, 10000));
    provider.stop();
    ASSERT_FALSE(rec.readings.isEmpty()) << rec.messages.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(rec.readings.first().gCo2ePerKwh, 333);
    ASSERT_EQ(http.requestCount(), 1);
    EXPECT_EQ(http.requests().first().headers.value("auth-token"), kToken);
}

TEST_F(GridHttp, ARedirectToAnotherHostDoesNotTakeTheToken)
{
    test::FakeHttpServer elsewhere;
    ASSERT_TRUE(elsewhere.listen());
    elsewhere.setDefault(200);
    m_http.enqueue(302, {},
                   {{"Location", (elsewhere.url() + QStringLiteral("/steal")).toLatin1()}});
    auto provider = electricityMaps();
    Recorder rec(*provider);
    provider->start();
    ASSERT_TRUE(test::waitUntil([&] { return !rec.errors.isEmpty(); }, 5000));
    provider->stop();
    test::spin(100);
    EXPECT_EQ(elsewhere.requestCount(), 0);
    EXPECT_TRUE(rec.readings.isEmpty());
}
