#include "IntensityProvider.h"

#include "GridCounters.h"
#include "GridLogging.h"

namespace greenpulse::grid {

IntensityProvider::IntensityProvider(GridCounters &counters, QObject *parent)
    : QObject(parent), m_counters(counters)
{}

IntensityProvider::~IntensityProvider() = default;

void IntensityProvider::fail(ProviderError error, const QString &zone, const QString &message)
{
    m_counters.countError(error);
    qCWarning(lcGrid).noquote() << QStringLiteral("%1 %2: %3: %4")
                                       .arg(name(), zone, QLatin1String(providerErrorName(error)),
                                            message);
    emit failed(error, zone, message);
}

} // namespace greenpulse::grid
