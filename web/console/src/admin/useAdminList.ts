/** What an admin list page does again and again: load its rows, run a change and report it,
 * ask before a destructive one; errors are shown to the admin, never thrown. */
import { ElMessage, ElMessageBox } from 'element-plus'
import { ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { errorText } from '../format'

export function useAdminList<T>(fetch: () => Promise<T[]>) {
  const { t } = useI18n()
  const items = ref([]) as Ref<T[]>
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      items.value = await fetch()
    } catch (err) {
      ElMessage.error(errorText(t, err))
    } finally {
      loading.value = false
    }
  }

  /** Runs `change`, says `done` (if given) and reloads; false when it failed. */
  async function act(change: () => Promise<unknown>, done?: string): Promise<boolean> {
    try {
      await change()
    } catch (err) {
      ElMessage.error(errorText(t, err))
      return false
    }
    if (done) ElMessage.success(done)
    await load()
    return true
  }

  /** Asks `question` in a warning box first; nothing happens when the admin cancels. */
  async function confirmThen(question: string, change: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await ElMessageBox.confirm(question, { type: 'warning' })
    } catch {
      return
    }
    await act(change, done)
  }

  return { items, loading, load, act, confirmThen }
}
