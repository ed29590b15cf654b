#pragma once

#include "HttpProvider.h"

#include <optional>

namespace greenpulse::grid {

// --provider uk: the Carbon Intensity API of Great Britain's system operator (NESO,
// carbonintensity.org.uk; no token). Zones: `GB` is national (GET <base>/intensity), `GB-<id>`
// a region (GET <base>/regional/regionid/<id>, id 1-17: 1 North Scotland ... 13 London ... 15
// England, 16 Scotland, 17 Wales). Documented answers:
//   national: {"data": [{"from": "2018-01-20T12:00Z", "to": "2018-01-20T12:30Z",
//              "intensity": {"forecast": 266, "actual": 263, "index": "moderate"}}]}
//   regional: {"data": [{"regionid": 13, "shortname": "London", "data": [{"from": ..., "to": ...,
//              "intensity": {"forecast": 266, "index": "moderate"}, "generationmix": [...]}]}]}
// `from` is the timestamp; `actual` when present (estimated false), else `forecast` (estimated
// true; regions only have forecasts). Kind: direct: the API counts the CO2 of generation only
// (power stations, imports, losses), not the life cycle. The next request at `to` (the end of
// the half hour) + margin.
class UkCarbonIntensityProvider : public HttpProvider
{
    Q_OBJECT
public:
    UkCarbonIntensityProvider(const QStringList &zones, QString baseUrl, HttpPollSettings poll,
                              QNetworkAccessManager &network, const core::Clock &clock,
                              GridCounters &counters, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("uk"); }

    // 0 for GB, the region id for GB-<id>; nullopt for a zone this API does not have.
    static std::optional<int> regionOf(const QString &zone);
    static ParseResult parseAnswer(const QString &zone, const QByteArray &body);

    static constexpr const char *kSource = "carbonintensity.org.uk";
    static constexpr const char *kDefaultBaseUrl = "https://api.carbonintensity.org.uk";
    static constexpr int kLastRegion = 17;

protected:
    QNetworkRequest request(const QString &zone) const override;
    ParseResult parse(const QString &zone, const QByteArray &body) const override;

private:
    QString m_baseUrl;
};

} // namespace greenpulse::grid
