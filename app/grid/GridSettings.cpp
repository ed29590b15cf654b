#include "GridSettings.h"

#include "options/OptionSpec.h"
#include "options/Options.h"
#include "providers/ElectricityMapsProvider.h"
#include "providers/UkCarbonIntensityProvider.h"

namespace greenpulse::grid {

namespace {

using Spec = core::OptionSpec;

const QString kProvider = QStringLiteral("provider");
const QString kZone = QStringLiteral("zone");
const QString kSchedule = QStringLiteral("schedule");
const QString kElectricityMapsUrl = QStringLiteral("electricitymaps-url");
const QString kElectricityMapsToken = QStringLiteral("electricitymaps-token");
const QString kUkUrl = QStringLiteral("uk-url");
const QString kHttpTimeoutS = QStringLiteral("http-timeout-s");
const QString kPollMinS = QStringLiteral("poll-min-s");
const QString kPollMaxS = QStringLiteral("poll-max-s");
const QString kPollMarginS = QStringLiteral("poll-margin-s");
const QString kDurationS = QStringLiteral("duration-s");

} // namespace

QList<core::OptionSpec> GridSettings::optionSpecs()
{
    const HttpPollSettings poll;
    return {
        Spec::oneOf(
            kProvider,
            {QStringLiteral("file"), QStringLiteral("electricitymaps"), QStringLiteral("uk")},
            QStringLiteral("Where the carbon intensity comes from: a schedule file "
                           "(--schedule), Electricity Maps (--electricitymaps-token), or "
                           "the UK Carbon Intensity API."),
            QStringLiteral("file")),
        Spec::text(kZone, QStringLiteral("zone[,zone...]"),
                   QStringLiteral("Grid zones to publish (comma list): Electricity Maps zone "
                                  "codes (DE, US-CAL-CISO); GB or GB-<region id 1-17> for uk; "
                                  "default for file: every zone of the schedule.")),
        Spec::path(kSchedule, QStringLiteral("file"),
                   QStringLiteral("Schedule CSV for --provider file: zone,from,to,g_co2e_per_kwh "
                                  "(docs/footprint.md).")),
        Spec::url(kElectricityMapsUrl, QStringLiteral("Electricity Maps API base URL."),
                  QLatin1String(ElectricityMapsProvider::kDefaultBaseUrl)),
        Spec::text(kElectricityMapsToken, QStringLiteral("secret"),
                   QStringLiteral("Electricity Maps API token, sent as the auth-token header "
                                  "(prefer GREENPULSE_ELECTRICITYMAPS_TOKEN or the config file)."))
            .asSecret(),
        Spec::url(kUkUrl, QStringLiteral("UK Carbon Intensity API base URL."),
                  QLatin1String(UkCarbonIntensityProvider::kDefaultBaseUrl)),
        Spec::real(kHttpTimeoutS, QStringLiteral("seconds"),
                   QStringLiteral("Longest wait for one provider answer."), poll.timeoutMs / 1000.0)
            .range(0.1, 600),
        Spec::real(kPollMinS, QStringLiteral("seconds"),
                   QStringLiteral("Least time between two requests for a zone (and the first "
                                  "retry after an error)."),
                   poll.minPollS)
            .range(0.1, 86400),
        Spec::real(kPollMaxS, QStringLiteral("seconds"),
                   QStringLiteral("Most time between two requests for a zone (and the longest "
                                  "retry after errors)."),
                   poll.maxPollS)
            .range(0.1, 86400),
        Spec::real(kPollMarginS, QStringLiteral("seconds"),
                   QStringLiteral("Wait after the end of a provider's period before asking for "
                                  "the next value."),
                   poll.marginS)
            .range(0, 3600),
        Spec::integer(kDurationS, QStringLiteral("seconds"),
                      QStringLiteral("Stop by itself after this many seconds (0: run until "
                                     "SIGINT/SIGTERM)."),
                      0)
            .range(0),
    };
}

std::optional<GridSettings> GridSettings::read(const core::Options &options, QString *error)
{
    GridSettings s;
    s.provider = options.choice(kProvider);
    for (const QString &zone : options.value(kZone).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!s.zones.contains(zone.trimmed())) {
            s.zones.append(zone.trimmed());
        }
    }
    s.schedulePath = options.value(kSchedule);
    s.electricityMapsUrl = options.value(kElectricityMapsUrl);
    s.electricityMapsToken = options.value(kElectricityMapsToken);
    s.ukUrl = options.value(kUkUrl);
    s.poll.timeoutMs = static_cast<int>(options.doubleValue(kHttpTimeoutS) * 1000);
    s.poll.minPollS = options.doubleValue(kPollMinS);
    s.poll.maxPollS = options.doubleValue(kPollMaxS);
    s.poll.marginS = options.doubleValue(kPollMarginS);
    s.durationS = options.intValue(kDurationS);
    if (s.poll.maxPollS < s.poll.minPollS) {
        *error = QStringLiteral("--poll-max-s (%1) is below --poll-min-s (%2)")
                     .arg(s.poll.maxPollS)
                     .arg(s.poll.minPollS);
        return std::nullopt;
    }
    if (s.provider == QLatin1String("file") && s.schedulePath.isEmpty()) {
        *error = QStringLiteral("--provider file needs --schedule FILE");
        return std::nullopt;
    }
    if (s.provider != QLatin1String("file") && s.zones.isEmpty()) {
        *error = QStringLiteral("--provider %1 needs --zone (e.g. %2)")
                     .arg(s.provider, s.provider == QLatin1String("uk") ? QStringLiteral("GB")
                                                                        : QStringLiteral("DE"));
        return std::nullopt;
    }
    if (s.provider == QLatin1String("electricitymaps") && s.electricityMapsToken.isEmpty()) {
        *error = QStringLiteral("--provider electricitymaps needs a token: "
                                "--electricitymaps-token, GREENPULSE_ELECTRICITYMAPS_TOKEN or "
                                "electricitymaps-token in the config file");
        return std::nullopt;
    }
    return s;
}

} // namespace greenpulse::grid
