// ChartsPanel's views: every chart in a grid, one alone (a tab each), or none (collapsed).
#include "charts/ChartsPanel.h"
#include "charts/TimeChart.h"

#include <QChart>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabBar>
#include <QToolButton>

namespace greenpulse::app {

namespace {
// A chart alone (a short window) may be this low; in the grid TimeChart's own minimum holds.
constexpr int kAloneMinHeight = 150;
} // namespace

QWidget *ChartsPanel::titleRow()
{
    auto *row = new QWidget(this);
    m_titleRow = row;
    m_toggle = new QToolButton(row);
    m_toggle->setObjectName(QStringLiteral("chartsToggle"));
    m_toggle->setText(tr("Live"));
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setAutoRaise(true);
    m_toggle->setCheckable(true);
    m_toggle->setChecked(true);
    QFont titleFont = m_toggle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_toggle->setFont(titleFont);
    connect(m_toggle, &QToolButton::toggled, this, [this](bool shown) { setCollapsed(!shown); });

    m_tabs = new QTabBar(row);
    m_tabs->setObjectName(QStringLiteral("chartTabs"));
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(tr("All"));
    m_tabs->setTabToolTip(0, tr("Every chart (needs a tall window)"));
    const TimeChart *charts[] = {m_power, m_coolant, m_energy, m_carbon, m_water};
    const QString labels[] = {tr("Power"), tr("Coolant loop"), tr("Energy"), tr("Carbon"),
                              tr("Circulated")};
    for (int i = 0; i < kChartCount; ++i) {
        const int tab = m_tabs->addTab(labels[i]);
        m_tabs->setTabToolTip(tab,
                              tr("%1 alone, in the whole panel").arg(charts[i]->chart()->title()));
    }
    connect(m_tabs, &QTabBar::currentChanged, this, [this] {
        layOut();
        if (!m_fitting) {
            m_viewChosen = true;
            emit viewChosen(view());
        }
    });

    auto *top = new QHBoxLayout(row);
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_toggle);
    top->addWidget(m_tabs);
    top->addStretch();
    top->addWidget(new QLabel(tr("Window"), row));
    top->addWidget(m_windowBox);
    return row;
}

QStringList ChartsPanel::viewNames()
{
    return {QStringLiteral("all"),    QStringLiteral("power"),  QStringLiteral("coolant"),
            QStringLiteral("energy"), QStringLiteral("carbon"), QStringLiteral("water")};
}

void ChartsPanel::setView(const QString &name)
{
    const int tab = viewNames().indexOf(name);
    if (tab >= 0) {
        m_viewChosen = true;
        m_tabs->setCurrentIndex(tab);
    }
}

void ChartsPanel::fitView(bool roomForAll)
{
    if (m_viewChosen) {
        return;
    }
    m_fitting = true;
    m_tabs->setCurrentIndex(roomForAll ? 0 : 1);
    m_fitting = false;
}

QString ChartsPanel::view() const
{
    return viewNames().value(m_tabs->currentIndex());
}

void ChartsPanel::setCollapsed(bool collapsed)
{
    if (collapsed == m_collapsed) {
        return;
    }
    m_collapsed = collapsed;
    m_toggle->setChecked(!collapsed);
    layOut();
    emit collapsedChanged(collapsed);
}

int ChartsPanel::minimumHeightFor(const QString &name) const
{
    const int title = m_titleRow->sizeHint().height();
    const int chart = name == viewNames().constFirst() ? m_gridChartHeight : kAloneMinHeight;
    const int spacing = layout()->spacing();
    return name == viewNames().constFirst() ? title + spacing + 2 * chart + m_grid->spacing()
                                            : title + spacing + chart;
}

void ChartsPanel::layOut()
{
    TimeChart *charts[] = {m_power, m_coolant, m_energy, m_carbon, m_water};
    for (TimeChart *chart : charts) {
        m_grid->removeWidget(chart);
    }
    const int tab = m_tabs->currentIndex();
    if (tab <= 0) {
        m_grid->addWidget(m_power, 0, 0, 1, 2);
        m_grid->addWidget(m_coolant, 0, 2);
        m_grid->addWidget(m_energy, 1, 0);
        m_grid->addWidget(m_carbon, 1, 1);
        m_grid->addWidget(m_water, 1, 2);
    } else {
        m_grid->addWidget(charts[tab - 1], 0, 0, 2, 3);
    }
    for (int i = 0; i < kChartCount; ++i) {
        charts[i]->setVisible(tab <= 0 || i == tab - 1);
        charts[i]->setMinimumHeight(tab <= 0 ? m_gridChartHeight : kAloneMinHeight);
    }
    m_body->setVisible(!m_collapsed);
    m_tabs->setVisible(!m_collapsed);
    m_toggle->setArrowType(m_collapsed ? Qt::RightArrow : Qt::DownArrow);
    m_toggle->setToolTip(m_collapsed ? tr("Show the charts")
                                     : tr("Hide the charts: the jobs table "
                                          "gets their room"));
    // Collapsed, the panel is its title row: a splitter gives the rest to the jobs table.
    setMaximumHeight(m_collapsed ? m_titleRow->sizeHint().height() : QWIDGETSIZE_MAX);
}

} // namespace greenpulse::app
