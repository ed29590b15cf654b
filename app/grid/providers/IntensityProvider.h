#pragma once

#include "ProviderError.h"
#include "protocol/Messages.h"

#include <QObject>
#include <QString>

namespace greenpulse::grid {

class GridCounters;

// Where greenpulse-grid's values come from: one subclass per provider (FileProvider,
// ElectricityMapsProvider, UkCarbonIntensityProvider). A provider emits reading() with the
// provider's own figures and timestamps for each of its zones, as often as they change and no
// more often; every failure is counted (GridCounters) and logged in one clear line, and gives no
// reading. GridPublisher turns readings into retained MQTT messages.
class IntensityProvider : public QObject
{
    Q_OBJECT
public:
    explicit IntensityProvider(GridCounters &counters, QObject *parent = nullptr);
    ~IntensityProvider() override;

    virtual QString name() const = 0; // as --provider spells it
    virtual void start() = 0;         // first readings now, then on the provider's schedule
    virtual void stop() = 0;          // no more requests nor readings

signals:
    void reading(const greenpulse::core::GridIntensity &intensity);
    void failed(greenpulse::grid::ProviderError error, const QString &zone, const QString &message);

protected:
    // Counts, logs "<provider> <zone>: <kind>: <message>" and emits failed().
    void fail(ProviderError error, const QString &zone, const QString &message);

    GridCounters &m_counters;
};

} // namespace greenpulse::grid
