// The main window's layout on small screens (issue 16, point 7): it opens within the available
// screen, and at 1280x720 the jobs table keeps MainWindow::kMinTableRows rows in view.
#include "charts/ChartsPanel.h"
#include "runtime/GuiSettings.h"
#include "widgets/JobsPanel.h"
#include "widgets/MainWindow.h"
#include "widgets/WindowStateKeys.h"

#include <QEvent>
#include <QScreen>
#include <QSplitter>
#include <algorithm>
#include <cmath>

namespace greenpulse::app {

namespace {

const QSize kPreferredSize(1440, 900);
// A title bar and frame, before the window manager has framed the window and they are known.
constexpr int kFrameAllowance = 40;

} // namespace

void MainWindow::placeWithinScreen()
{
    if (restoreGeometry(m_settings.guiValue(windowstate::kGeometry).toByteArray())) {
        return; // Qt keeps a restored geometry on a screen
    }
    // 1440x900, or what the screen leaves (1280x720 laptops: a panel, the title bar).
    const QSize room = screen() ? screen()->availableGeometry().size() - QSize(0, kFrameAllowance)
                                : kPreferredSize;
    resize(kPreferredSize.boundedTo(room).expandedTo(minimumSize()));
}

void MainWindow::restoreChartView()
{
    // No view saved: fitCharts() picks one as the height allows.
    m_charts->setView(m_settings.guiValue(windowstate::kChartView).toString());
    m_charts->setCollapsed(m_settings.guiValue(windowstate::kChartsCollapsed).toBool());
    connect(m_charts, &ChartsPanel::viewChosen, this, [this](const QString &view) {
        m_settings.setGuiValue(windowstate::kChartView, view);
        // The table's share is looked at again as the splitter lays out the view (eventFilter).
    });
    connect(m_charts, &ChartsPanel::collapsedChanged, this, [this](bool collapsed) {
        m_settings.setGuiValue(windowstate::kChartsCollapsed, collapsed);
        if (!collapsed) { // the charts come back in what the table leaves, once laid out
            QMetaObject::invokeMethod(
                this, [this] { giveTableRows(true); }, Qt::QueuedConnection);
        }
    });
    m_splitter->installEventFilter(this);
    m_jobsPanel->installEventFilter(this);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // The window or the banner changed the splitter's height, or the splitter shared it out
    // again (by its stretch factors, as a view changes the charts' minimum): once it is done,
    // the view that fits and the table's rows.
    if ((watched == m_splitter || watched == m_jobsPanel) && event->type() == QEvent::Resize &&
        !m_fitQueued) {
        m_fitQueued = true;
        QMetaObject::invokeMethod(this, &MainWindow::fitCharts, Qt::QueuedConnection);
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::fitCharts()
{
    m_fitQueued = false;
    const int table = m_jobsPanel->heightForRows(kMinTableRows);
    const int all = m_charts->minimumHeightFor(ChartsPanel::viewNames().constFirst());
    m_charts->fitView(m_splitter->height() - m_splitter->handleWidth() >= all + table);
    const QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (m_chartShare > 0 && total > 0 && !m_charts->isCollapsed()) {
        // The split the operator chose (this run or the last), the table's rows before it.
        const int charts = static_cast<int>(std::lround(total * m_chartShare));
        if (std::abs(charts - sizes.value(0)) > 1) {
            m_splitter->setSizes({charts, total - charts});
        }
    }
    giveTableRows(false);
}

void MainWindow::giveTableRows(bool all)
{
    if (m_charts->isCollapsed()) {
        return; // the table has the splitter's height already
    }
    const QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    const int table = m_jobsPanel->heightForRows(kMinTableRows);
    if (total <= 0 || (!all && sizes.value(1) >= table)) {
        return;
    }
    // The charts keep their minimum: on a window too short for both the table gives way.
    const int charts = std::max(total - table, m_charts->minimumHeightFor(m_charts->view()));
    if (charts != sizes.value(0)) {
        m_splitter->setSizes({charts, total - charts});
    }
}

} // namespace greenpulse::app
