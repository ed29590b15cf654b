#pragma once

#include "HttpProvider.h"

namespace greenpulse::grid {

// --provider electricitymaps: GET <base>/v3/carbon-intensity/latest?zone=<zone> with the
// `auth-token` header (--electricitymaps-token; never logged). Documented answer:
//   {"zone": "DE", "carbonIntensity": 302, "datetime": "2019-05-21T00:00:00.000Z",
//    "updatedAt": "...", "emissionFactorType": "lifecycle", "isEstimated": false, ...}
// `datetime` is the timestamp (the start of the provider's hour), `emissionFactorType` the kind
// (lifecycle when absent, the API's default), `isEstimated` the estimated flag. The data is
// hourly: the next request at datetime + 1 h + margin. An answer for another zone (the API falls
// back to the caller's location when it does not know the zone) is refused (wrong_shape).
class ElectricityMapsProvider : public HttpProvider
{
    Q_OBJECT
public:
    struct Settings
    {
        QString baseUrl; // e.g. https://api.electricitymap.org
        QString token;   // secret
    };

    ElectricityMapsProvider(const QStringList &zones, Settings settings, HttpPollSettings poll,
                            QNetworkAccessManager &network, const core::Clock &clock,
                            GridCounters &counters, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("electricitymaps"); }

    static ParseResult parseLatest(const QString &zone, const QByteArray &body);

    static constexpr const char *kSource = "electricitymaps";
    static constexpr const char *kDefaultBaseUrl = "https://api.electricitymap.org";
    static constexpr qint64 kPeriodS = 3600; // the API's resolution: 1 hour

protected:
    QNetworkRequest request(const QString &zone) const override;
    ParseResult parse(const QString &zone, const QByteArray &body) const override;

private:
    Settings m_settings;
};

} // namespace greenpulse::grid
