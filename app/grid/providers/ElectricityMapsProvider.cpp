#include "ElectricityMapsProvider.h"

#include "IsoTime.h"

#include <QJsonValue>
#include <QUrl>
#include <QUrlQuery>

namespace greenpulse::grid {

namespace {

ParseFailure wrongShape(const QString &message)
{
    return ParseFailure{ProviderError::WrongShape, message};
}

} // namespace

ElectricityMapsProvider::ElectricityMapsProvider(const QStringList &zones, Settings settings,
                                                 HttpPollSettings poll,
                                                 QNetworkAccessManager &network,
                                                 const core::Clock &clock, GridCounters &counters,
                                                 QObject *parent)
    : HttpProvider(zones, poll, network, clock, counters, parent), m_settings(std::move(settings))
{}

QNetworkRequest ElectricityMapsProvider::request(const QString &zone) const
{
    QString base = m_settings.baseUrl;
    while (base.endsWith(QLatin1Char('/'))) {
        base.chop(1);
    }
    QUrl url(base + QStringLiteral("/v3/carbon-intensity/latest"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("zone"), zone);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("auth-token", m_settings.token.toUtf8());
    return request;
}

ParseResult ElectricityMapsProvider::parse(const QString &zone, const QByteArray &body) const
{
    return parseLatest(zone, body);
}

ParseResult ElectricityMapsProvider::parseLatest(const QString &zone, const QByteArray &body)
{
    auto parsed = jsonObject(body);
    if (auto *failure = std::get_if<ParseFailure>(&parsed)) {
        return *failure;
    }
    const QJsonObject object = std::get<QJsonObject>(parsed);
    const QJsonValue answeredZone = object.value(QLatin1String("zone"));
    if (answeredZone.isString() && answeredZone.toString() != zone) {
        return wrongShape(QStringLiteral("asked for zone %1, the answer is for %2")
                              .arg(zone, answeredZone.toString().left(64)));
    }
    const QJsonValue value = object.value(QLatin1String("carbonIntensity"));
    if (!value.isDouble()) {
        return wrongShape(value.isNull() || value.isUndefined()
                              ? QStringLiteral("no \"carbonIntensity\" in the answer")
                              : QStringLiteral("\"carbonIntensity\" is not a number"));
    }
    const auto datetime = parseIsoTime(object.value(QLatin1String("datetime")).toString());
    if (!datetime) {
        return wrongShape(QStringLiteral("\"datetime\" is missing or not ISO 8601"));
    }
    ProviderReading reading;
    reading.intensity.zone = zone;
    reading.intensity.gCo2ePerKwh = value.toDouble();
    reading.intensity.timestampNs = *datetime;
    reading.intensity.source = QLatin1String(kSource);
    const QJsonValue kind = object.value(QLatin1String("emissionFactorType"));
    if (kind.isUndefined() || kind.isNull() || kind.toString() == QLatin1String("lifecycle")) {
        reading.intensity.kind = core::IntensityKind::Lifecycle;
    } else if (kind.toString() == QLatin1String("direct")) {
        reading.intensity.kind = core::IntensityKind::Direct;
    } else {
        return wrongShape(QStringLiteral("\"emissionFactorType\" is neither lifecycle nor direct"));
    }
    const QJsonValue estimated = object.value(QLatin1String("isEstimated"));
    if (!estimated.isUndefined() && !estimated.isNull() && !estimated.isBool()) {
        return wrongShape(QStringLiteral("\"isEstimated\" is not a boolean"));
    }
    reading.intensity.estimated = estimated.toBool(false);
    reading.validUntilNs = *datetime + kPeriodS * 1'000'000'000LL;
    return reading;
}

} // namespace greenpulse::grid
