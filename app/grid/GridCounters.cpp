#include "GridCounters.h"

namespace greenpulse::grid {

quint64 GridCounters::totalErrors() const
{
    quint64 total = 0;
    for (const quint64 n : m_errors) {
        total += n;
    }
    return total;
}

QJsonObject GridCounters::toJson() const
{
    QJsonObject errors;
    for (size_t i = 0; i < m_errors.size(); ++i) {
        errors[QLatin1String(providerErrorName(static_cast<ProviderError>(i)))] =
            static_cast<double>(m_errors[i]);
    }
    return QJsonObject{
        {QStringLiteral("requests"), static_cast<double>(m_requests)},
        {QStringLiteral("published"), static_cast<double>(m_published)},
        {QStringLiteral("unchanged"), static_cast<double>(m_unchanged)},
        {QStringLiteral("errors"), errors},
    };
}

} // namespace greenpulse::grid
