#include "ProviderFactory.h"

#include "GridSettings.h"
#include "providers/ElectricityMapsProvider.h"
#include "providers/FileProvider.h"
#include "providers/UkCarbonIntensityProvider.h"
#include "providers/ZoneCode.h"

namespace greenpulse::grid {

namespace {

std::unique_ptr<IntensityProvider> makeFileProvider(const GridSettings &settings,
                                                    const core::Clock &clock,
                                                    GridCounters &counters, QString *error)
{
    ScheduleFile schedule;
    QStringList problems;
    if (!schedule.load(settings.schedulePath, &problems)) {
        *error = QStringLiteral("schedule %1 refused:\n  %2")
                     .arg(settings.schedulePath, problems.join(QStringLiteral("\n  ")));
        return nullptr;
    }
    for (const QString &zone : settings.zones) {
        if (!schedule.hasZone(zone)) {
            *error =
                QStringLiteral("--zone %1 is not in the schedule %2 (it has %3)")
                    .arg(zone, settings.schedulePath, schedule.zones().join(QStringLiteral(", ")));
            return nullptr;
        }
    }
    return std::make_unique<FileProvider>(std::move(schedule), settings.zones, clock, counters);
}

} // namespace

std::unique_ptr<IntensityProvider> makeProvider(const GridSettings &settings,
                                                QNetworkAccessManager &network,
                                                const core::Clock &clock, GridCounters &counters,
                                                QString *error)
{
    for (const QString &zone : settings.zones) {
        if (const auto problem = zoneProblem(zone)) {
            *error = QStringLiteral("--zone \"%1\": %2").arg(zone, *problem);
            return nullptr;
        }
    }
    if (settings.provider == QLatin1String("file")) {
        return makeFileProvider(settings, clock, counters, error);
    }
    if (settings.provider == QLatin1String("uk")) {
        for (const QString &zone : settings.zones) {
            if (!UkCarbonIntensityProvider::regionOf(zone)) {
                *error = QStringLiteral("--zone %1: the UK provider has GB (national) and "
                                        "GB-1 ... GB-%2 (regions)")
                             .arg(zone)
                             .arg(UkCarbonIntensityProvider::kLastRegion);
                return nullptr;
            }
        }
        return std::make_unique<UkCarbonIntensityProvider>(settings.zones, settings.ukUrl,
                                                           settings.poll, network, clock, counters);
    }
    ElectricityMapsProvider::Settings em{settings.electricityMapsUrl,
                                         settings.electricityMapsToken};
    return std::make_unique<ElectricityMapsProvider>(settings.zones, em, settings.poll, network,
                                                     clock, counters);
}

} // namespace greenpulse::grid
