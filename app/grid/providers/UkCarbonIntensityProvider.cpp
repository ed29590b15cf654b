#include "UkCarbonIntensityProvider.h"

#include "IsoTime.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QUrl>

namespace greenpulse::grid {

namespace {

ParseFailure wrongShape(const QString &message)
{
    return ParseFailure{ProviderError::WrongShape, message};
}

// The first element of `object`'s "data" array, as an object.
std::optional<QJsonObject> firstData(const QJsonObject &object)
{
    const QJsonValue data = object.value(QLatin1String("data"));
    if (!data.isArray() || data.toArray().isEmpty() || !data.toArray().first().isObject()) {
        return std::nullopt;
    }
    return data.toArray().first().toObject();
}

// One period: {"from", "to", "intensity": {"forecast", "actual"?}}.
ParseResult readPeriod(const QString &zone, const QJsonObject &period)
{
    const auto from = parseIsoTime(period.value(QLatin1String("from")).toString());
    const auto to = parseIsoTime(period.value(QLatin1String("to")).toString());
    if (!from || !to) {
        return wrongShape(QStringLiteral("\"from\" or \"to\" is missing or not ISO 8601"));
    }
    const QJsonValue intensity = period.value(QLatin1String("intensity"));
    if (!intensity.isObject()) {
        return wrongShape(QStringLiteral("no \"intensity\" object"));
    }
    const QJsonValue actual = intensity.toObject().value(QLatin1String("actual"));
    const QJsonValue forecast = intensity.toObject().value(QLatin1String("forecast"));
    ProviderReading reading;
    if (actual.isDouble()) {
        reading.intensity.gCo2ePerKwh = actual.toDouble();
        reading.intensity.estimated = false;
    } else if (forecast.isDouble()) {
        reading.intensity.gCo2ePerKwh = forecast.toDouble();
        reading.intensity.estimated = true;
    } else {
        return wrongShape(QStringLiteral("neither \"actual\" nor \"forecast\" is a number"));
    }
    reading.intensity.zone = zone;
    reading.intensity.timestampNs = *from;
    reading.intensity.kind = core::IntensityKind::Direct;
    reading.intensity.source = QLatin1String(UkCarbonIntensityProvider::kSource);
    reading.validUntilNs = *to;
    return reading;
}

} // namespace

UkCarbonIntensityProvider::UkCarbonIntensityProvider(const QStringList &zones, QString baseUrl,
                                                     HttpPollSettings poll,
                                                     QNetworkAccessManager &network,
                                                     const core::Clock &clock,
                                                     GridCounters &counters, QObject *parent)
    : HttpProvider(zones, poll, network, clock, counters, parent), m_baseUrl(std::move(baseUrl))
{
    while (m_baseUrl.endsWith(QLatin1Char('/'))) {
        m_baseUrl.chop(1);
    }
}

std::optional<int> UkCarbonIntensityProvider::regionOf(const QString &zone)
{
    if (zone == QLatin1String("GB")) {
        return 0;
    }
    if (!zone.startsWith(QLatin1String("GB-"))) {
        return std::nullopt;
    }
    bool ok = false;
    const int id = zone.mid(3).toInt(&ok);
    if (!ok || id < 1 || id > kLastRegion || zone.mid(3) != QString::number(id)) {
        return std::nullopt;
    }
    return id;
}

QNetworkRequest UkCarbonIntensityProvider::request(const QString &zone) const
{
    const int region = regionOf(zone).value_or(0);
    const QString path = region == 0 ? QStringLiteral("/intensity")
                                     : QStringLiteral("/regional/regionid/%1").arg(region);
    return QNetworkRequest(QUrl(m_baseUrl + path));
}

ParseResult UkCarbonIntensityProvider::parse(const QString &zone, const QByteArray &body) const
{
    return parseAnswer(zone, body);
}

ParseResult UkCarbonIntensityProvider::parseAnswer(const QString &zone, const QByteArray &body)
{
    auto parsed = jsonObject(body);
    if (auto *failure = std::get_if<ParseFailure>(&parsed)) {
        return *failure;
    }
    const std::optional<int> region = regionOf(zone);
    if (!region) {
        return wrongShape(QStringLiteral("%1 is not a zone of this API (GB, GB-1 ... GB-%2)")
                              .arg(zone)
                              .arg(kLastRegion));
    }
    const auto outer = firstData(std::get<QJsonObject>(parsed));
    if (!outer) {
        return wrongShape(QStringLiteral("no \"data\" array with an object"));
    }
    if (*region == 0) {
        return readPeriod(zone, *outer);
    }
    const QJsonValue id = outer->value(QLatin1String("regionid"));
    if (id.isDouble() && id.toInt() != *region) {
        return wrongShape(QStringLiteral("asked for region %1, the answer is for region %2")
                              .arg(*region)
                              .arg(id.toInt()));
    }
    const auto period = firstData(*outer);
    if (!period) {
        return wrongShape(QStringLiteral("no \"data\" array with an object in the region"));
    }
    return readPeriod(zone, *period);
}

} // namespace greenpulse::grid
