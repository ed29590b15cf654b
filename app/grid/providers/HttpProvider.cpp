#include "HttpProvider.h"

#include "GridCounters.h"
#include "GridLogging.h"
#include "IsoTime.h"
#include "base/Backoff.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <cmath>

namespace greenpulse::grid {

namespace {

constexpr core::TimeNs kSecondNs = 1'000'000'000;
// Readings before this are not a provider's latest value (2000-01-01T00:00:00Z).
constexpr core::TimeNs kEarliestNs = 946'684'800LL * kSecondNs;
constexpr core::TimeNs kMostAheadNs = 24LL * 3600 * kSecondNs;

qint64 secondsToMs(double seconds)
{
    return static_cast<qint64>(std::llround(seconds * 1000));
}

// Retry-After in seconds (the HTTP-date form is rare from APIs; it falls back to the backoff).
int retryAfterMs(QNetworkReply *reply)
{
    bool ok = false;
    const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
    return ok && seconds >= 0 ? std::min(seconds, 24 * 3600) * 1000 : -1;
}

} // namespace

struct HttpProvider::Zone
{
    QString name;
    QTimer timer;
    QTimer deadline; // the whole exchange; Qt's transfer timeout only bounds silence
    core::Backoff backoff;
    QPointer<QNetworkReply> reply;
    bool tooLarge = false;
};

HttpProvider::HttpProvider(const QStringList &zones, HttpPollSettings settings,
                           QNetworkAccessManager &network, const core::Clock &clock,
                           GridCounters &counters, QObject *parent)
    : IntensityProvider(counters, parent), m_settings(settings), m_network(network), m_clock(clock)
{
    core::BackoffPolicy policy;
    policy.initialMs = static_cast<int>(std::max<qint64>(1, secondsToMs(m_settings.minPollS)));
    policy.maxMs =
        static_cast<int>(std::max<qint64>(policy.initialMs, secondsToMs(m_settings.maxPollS)));
    policy.jitterLow = 1.0; // a retry never comes sooner than the floor
    policy.jitterHigh = 1.25;
    policy.retryAfterJitterMs = 1000;
    for (const QString &name : zones) {
        auto zone = std::make_unique<Zone>();
        zone->name = name;
        zone->backoff = core::Backoff(policy);
        zone->timer.setSingleShot(true);
        Zone *z = zone.get();
        connect(&zone->timer, &QTimer::timeout, this, [this, z] { poll(*z); });
        zone->deadline.setSingleShot(true);
        connect(&zone->deadline, &QTimer::timeout, this, [z] {
            if (z->reply) {
                z->reply->abort(); // finished() follows: OperationCanceledError, a timeout
            }
        });
        m_zones.push_back(std::move(zone));
    }
}

HttpProvider::~HttpProvider()
{
    stop();
}

void HttpProvider::start()
{
    m_stopped = false;
    for (const auto &zone : m_zones) {
        poll(*zone);
    }
}

void HttpProvider::stop()
{
    m_stopped = true;
    for (const auto &zone : m_zones) {
        zone->timer.stop();
        zone->deadline.stop();
        if (zone->reply) {
            QNetworkReply *reply = zone->reply;
            zone->reply = nullptr;
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
}

qint64 HttpProvider::nextPollDelayMs(core::TimeNs validUntilNs, core::TimeNs nowNs,
                                     const HttpPollSettings &settings)
{
    const qint64 floor = secondsToMs(settings.minPollS);
    const qint64 ceiling = std::max(floor, secondsToMs(settings.maxPollS));
    if (validUntilNs <= 0) {
        return ceiling;
    }
    const qint64 untilChange = (validUntilNs - nowNs) / 1'000'000 + secondsToMs(settings.marginS);
    return std::clamp(untilChange, floor, ceiling);
}

std::optional<ParseFailure> HttpProvider::absurdity(const core::GridIntensity &intensity,
                                                    core::TimeNs nowNs)
{
    if (!std::isfinite(intensity.gCo2ePerKwh) || intensity.gCo2ePerKwh < 0 ||
        intensity.gCo2ePerKwh > core::kMaxCarbonIntensity) {
        return ParseFailure{ProviderError::AbsurdValue, QStringLiteral("%1 g/kWh is outside 0-%2")
                                                            .arg(intensity.gCo2ePerKwh)
                                                            .arg(core::kMaxCarbonIntensity)};
    }
    if (intensity.timestampNs < kEarliestNs || intensity.timestampNs > nowNs + kMostAheadNs) {
        return ParseFailure{
            ProviderError::AbsurdValue,
            QStringLiteral("time %1 is not a latest value's").arg(isoTime(intensity.timestampNs))};
    }
    return std::nullopt;
}

std::variant<QJsonObject, ParseFailure> HttpProvider::jsonObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return ParseFailure{ProviderError::NotJson,
                            QStringLiteral("not JSON (%1 at byte %2): %3")
                                .arg(error.errorString())
                                .arg(error.offset)
                                .arg(QString::fromUtf8(body.left(80)).simplified())};
    }
    if (!document.isObject()) {
        return ParseFailure{ProviderError::WrongShape, QStringLiteral("JSON, but not an object")};
    }
    return document.object();
}

void HttpProvider::poll(Zone &zone)
{
    if (m_stopped || zone.reply) {
        return;
    }
    QNetworkRequest request = this->request(zone.name);
    request.setTransferTimeout(m_settings.timeoutMs);
    // A redirect may not take the request (and the token header) to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::SameOriginRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    zone.tooLarge = false;
    m_counters.countRequest();
    qCDebug(lcGrid).noquote() << name() << zone.name << "GET" << request.url().toString();
    QNetworkReply *reply = m_network.get(request);
    zone.reply = reply;
    zone.deadline.start(m_settings.timeoutMs);
    connect(reply, &QNetworkReply::downloadProgress, this,
            [this, &zone, reply](qint64 received, qint64) {
                if (received > m_settings.maxBodyBytes && !zone.tooLarge) {
                    zone.tooLarge = true;
                    reply->abort();
                }
            });
    connect(reply, &QNetworkReply::finished, this,
            [this, &zone, reply] { onFinished(zone, reply); });
}

void HttpProvider::onFinished(Zone &zone, QNetworkReply *reply)
{
    reply->deleteLater();
    if (zone.reply != reply || m_stopped) {
        return;
    }
    zone.reply = nullptr;
    zone.deadline.stop();
    if (zone.tooLarge || reply->bytesAvailable() > m_settings.maxBodyBytes) {
        retry(zone, ProviderError::TooLarge,
              QStringLiteral("answer above %1 bytes").arg(m_settings.maxBodyBytes));
        return;
    }
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();
    // The transfer timeout aborts the reply (OperationCanceledError; TimeoutError in later Qt).
    if (error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError) {
        retry(zone, ProviderError::Timeout,
              QStringLiteral("no complete answer within %1 s").arg(m_settings.timeoutMs / 1000.0));
        return;
    }
    if (!status.isValid()) {
        retry(zone, ProviderError::Network, reply->errorString());
        return;
    }
    const int code = status.toInt();
    if (code == 401 || code == 403) {
        retry(zone, ProviderError::Auth,
              QStringLiteral("HTTP %1: the token is missing, wrong or not entitled to this zone")
                  .arg(code));
        return;
    }
    if (code == 429) {
        retry(zone, ProviderError::RateLimited, QStringLiteral("HTTP 429"), retryAfterMs(reply));
        return;
    }
    if (code != 200) {
        retry(zone, ProviderError::HttpStatus,
              QStringLiteral("HTTP %1 %2: %3")
                  .arg(code)
                  .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                       QString::fromUtf8(reply->read(200)).simplified()),
              code == 503 ? retryAfterMs(reply) : -1);
        return;
    }
    onBody(zone, reply->readAll());
}

void HttpProvider::onBody(Zone &zone, const QByteArray &body)
{
    ParseResult result = parse(zone.name, body);
    if (auto *failure = std::get_if<ParseFailure>(&result)) {
        retry(zone, failure->error, failure->message);
        return;
    }
    ProviderReading &reading = std::get<ProviderReading>(result);
    const core::TimeNs now = m_clock.nowNs();
    if (const auto failure = absurdity(reading.intensity, now)) {
        retry(zone, failure->error, failure->message);
        return;
    }
    zone.backoff.reset();
    reading.intensity.zone = zone.name;
    emit this->reading(reading.intensity);
    schedule(zone, nextPollDelayMs(reading.validUntilNs, now, m_settings));
}

void HttpProvider::retry(Zone &zone, ProviderError error, const QString &message, int retryAfterMs)
{
    // Never sooner than the floor; within the ceiling, unless the server asked for longer.
    const int floor = zone.backoff.policy().initialMs;
    const int ceiling = zone.backoff.policy().maxMs;
    int delay = 0;
    if (error == ProviderError::Auth) {
        delay = std::min(zone.backoff.nextAtMax(), ceiling);
    } else if (retryAfterMs >= 0) {
        delay = std::max(zone.backoff.next(retryAfterMs), floor);
    } else {
        delay = std::clamp(zone.backoff.next(), floor, ceiling);
    }
    fail(error, zone.name,
         QStringLiteral("%1 (next try in %2 s)").arg(message).arg(delay / 1000.0));
    schedule(zone, delay);
}

void HttpProvider::schedule(Zone &zone, qint64 delayMs)
{
    if (m_stopped) {
        return;
    }
    zone.timer.start(static_cast<int>(std::clamp<qint64>(delayMs, 1, INT32_MAX)));
    emit pollScheduled(zone.name, delayMs);
}

} // namespace greenpulse::grid
