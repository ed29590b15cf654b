#pragma once

#include "IntensityProvider.h"
#include "base/Clock.h"

#include <QJsonObject>
#include <QNetworkRequest>
#include <QStringList>
#include <memory>
#include <variant>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace greenpulse::grid {

// How an HTTP provider is polled (greenpulse-grid's --http-timeout-s, --poll-*-s).
struct HttpPollSettings
{
    int timeoutMs = 30'000; // one request, connection to last byte
    double minPollS = 60;   // floor between two requests for a zone, and the first retry
    double maxPollS = 3600; // ceiling, and the longest retry after errors
    double marginS = 60;    // after the end of a provider's period, before asking again
    qint64 maxBodyBytes = 1 << 20;
};

// What one answer says: the figure and until when the provider will not have a newer one.
struct ProviderReading
{
    core::GridIntensity intensity;
    core::TimeNs validUntilNs = 0; // end of the provider's period; 0: unknown
};
struct ParseFailure
{
    ProviderError error = ProviderError::WrongShape;
    QString message;
};
using ParseResult = std::variant<ProviderReading, ParseFailure>;

// The polling shared by the HTTP providers (one subclass each): per zone one request at a time,
// bounded by a timeout; after an answer, the next request when the provider's data changes (the
// end of its period plus a margin, within the floor and ceiling); after an error, exponential
// backoff (core Backoff) from the floor up to the ceiling, straight to the ceiling for 401/403,
// and a 429's Retry-After. Every failure is counted by kind and logged; garbage gives no reading.
class HttpProvider : public IntensityProvider
{
    Q_OBJECT
public:
    HttpProvider(const QStringList &zones, HttpPollSettings settings,
                 QNetworkAccessManager &network, const core::Clock &clock, GridCounters &counters,
                 QObject *parent = nullptr);
    ~HttpProvider() override;

    void start() override;
    void stop() override;

    // The delay before asking again after a reading valid until `validUntilNs` (0: unknown).
    static qint64 nextPollDelayMs(core::TimeNs validUntilNs, core::TimeNs nowNs,
                                  const HttpPollSettings &settings);
    // The sanity checks every reading passes: 0-5000 g/kWh, a time after 2000 and not more than
    // a day ahead of `nowNs`.
    static std::optional<ParseFailure> absurdity(const core::GridIntensity &intensity,
                                                 core::TimeNs nowNs);
    // The body as a JSON object, or why not (not_json).
    static std::variant<QJsonObject, ParseFailure> jsonObject(const QByteArray &body);

signals:
    void pollScheduled(const QString &zone, qint64 delayMs);

protected:
    virtual QNetworkRequest request(const QString &zone) const = 0;
    virtual ParseResult parse(const QString &zone, const QByteArray &body) const = 0;

private:
    struct Zone;
    void poll(Zone &zone);
    void onFinished(Zone &zone, QNetworkReply *reply);
    void onBody(Zone &zone, const QByteArray &body);
    void retry(Zone &zone, ProviderError error, const QString &message, int retryAfterMs = -1);
    void schedule(Zone &zone, qint64 delayMs);

    HttpPollSettings m_settings;
    QNetworkAccessManager &m_network;
    const core::Clock &m_clock;
    std::vector<std::unique_ptr<Zone>> m_zones;
    bool m_stopped = true;
};

} // namespace greenpulse::grid
