#pragma once

#include "providers/ProviderError.h"

#include <QJsonObject>
#include <array>

namespace greenpulse::grid {

// What greenpulse-grid did, printed as JSON on exit and on SIGHUP:
// {"requests": N, "published": N, "unchanged": N, "errors": {"timeout": N, ...}}.
class GridCounters
{
public:
    void countRequest() { ++m_requests; }
    void countPublished() { ++m_published; }
    void countUnchanged() { ++m_unchanged; }
    void countError(ProviderError error) { ++m_errors[static_cast<size_t>(error)]; }

    quint64 requests() const { return m_requests; }
    quint64 published() const { return m_published; }
    quint64 unchanged() const { return m_unchanged; }
    quint64 errors(ProviderError error) const { return m_errors[static_cast<size_t>(error)]; }
    quint64 totalErrors() const;

    QJsonObject toJson() const;

private:
    quint64 m_requests = 0;  // HTTP requests sent
    quint64 m_published = 0; // values published (retained)
    quint64 m_unchanged = 0; // readings equal to the last one published: not sent again
    std::array<quint64, static_cast<size_t>(ProviderError::Count)> m_errors{};
};

} // namespace greenpulse::grid
