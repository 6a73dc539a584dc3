/** SLA warnings, breaches, escalations and due follow-ups addressed to me (the event's `recipients`):
 * an in-page notification that opens the ticket, plus a browser notification when the tab is hidden. */
import { ElNotification } from 'element-plus'
import { i18n } from '../i18n'
import type { SlaClock } from '../../../shared/tickets'
import { ticketAlert } from '../tickets'
import { alertsMuted } from './notify'
import { onTicketEvent } from './ticket-bus'

export function startTicketAlerts(meId: () => string | null, open: (ticketId: string) => void): () => void {
  const t = i18n.global.t
  return onTicketEvent((e) => {
    const kind = ticketAlert(e, meId())
    if (!kind || !('ticket' in e.data)) return
    const ticket = e.data.ticket
    const clock: SlaClock | null = 'clock' in e.data ? e.data.clock : null
    const title = t(`tickets.alerts.${kind}`, {
      number: ticket.number,
      clock: clock ? t(`tickets.slaBadge.${clock}`) : '',
    })
    ElNotification({
      title,
      message: `${ticket.subject}\n${t('tickets.alerts.open')}`,
      type: kind === 'sla_warning' || kind === 'followup_due' ? 'warning' : 'error',
      duration: kind === 'sla_warning' || kind === 'followup_due' ? 8000 : 0,
      customClass: 'ticket-alert',
      onClick: () => open(ticket.id),
    })
    if (alertsMuted() || document.visibilityState !== 'hidden') return
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
    const n = new Notification(title, { body: ticket.subject, tag: `kefu-ticket-${ticket.id}` })
    n.onclick = () => {
      window.focus()
      open(ticket.id)
      n.close()
    }
  })
}
