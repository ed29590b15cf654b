#pragma once

#include <QFrame>
#include <QWidget>
#include <memory>

class QLabel;
class QString;

namespace greenpulse::core {
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

struct Freshness;

// One headline figure: a caption, a big value and a detail line, with an accent stripe.
class Card : public QFrame
{
    Q_OBJECT
public:
    Card(const QString &caption, const QColor &accent, QWidget *parent = nullptr);
    void setValue(const QString &value, const QString &detail = {});
    QString value() const;
    QString detail() const;
    // Not live (frozen, nothing reporting): the value is drawn greyed.
    void setLive(bool live);
    bool isLive() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void showDetail(); // elided to the card's width ("…"), the whole text on hover

    QColor m_accent;
    QString m_detailText;
    QLabel *m_caption = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_detail = nullptr;
};

// The headline cards: power drawn now, today's kWh, kg CO2e and litres, running jobs.
class HeaderCards : public QWidget
{
    Q_OBJECT
public:
    explicit HeaderCards(QWidget *parent = nullptr);
    void setSnapshot(const core::ProcessorSnapshot &snapshot);
    // With the snapshot's freshness computed once by the caller (Freshness::of(snapshot)).
    void setSnapshot(const core::ProcessorSnapshot &snapshot, const Freshness &freshness);

    Card *power() const { return m_power; }
    Card *energy() const { return m_energy; }
    Card *carbon() const { return m_carbon; }
    Card *water() const { return m_water; }
    Card *jobs() const { return m_jobs; }
    Card *waterUsed() const { return m_waterUsed; } // consumed (estimate), not circulated

private:
    void setFootprint(const core::ProcessorSnapshot &snapshot);
    static QString carbonCaption(const core::ProcessorSnapshot &snapshot);

    Card *m_power = nullptr;
    Card *m_energy = nullptr;
    Card *m_carbon = nullptr;
    Card *m_water = nullptr;
    Card *m_jobs = nullptr;
    Card *m_waterUsed = nullptr;
};

} // namespace greenpulse::app
