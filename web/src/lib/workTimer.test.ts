import { describe, expect, it } from 'vitest'
import { BEAT_MS, IDLE_MS, WorkTimer } from './workTimer'

function setup() {
  const state = { now: 1_000_000, visible: true, sent: [] as [number, number][] }
  const timer = new WorkTimer({ now: () => state.now, visible: () => state.visible, send: (t, ms) => state.sent.push([t, ms]) })
  return { state, timer }
}

describe('work timer (handle time)', () => {
  it('starts the count with 0 and sends the visible, active time each beat', () => {
    const { state, timer } = setup()
    timer.start(42)
    expect(state.sent).toEqual([[42, 0]])
    state.now += BEAT_MS
    timer.flush()
    expect(state.sent).toEqual([[42, 0], [42, BEAT_MS]])
    // Nothing counted since: no heartbeat.
    timer.flush()
    expect(state.sent.length).toBe(2)
  })

  it('stops counting after the idle cut-off, and again from the next input', () => {
    const { state, timer } = setup()
    timer.start(7)
    state.now += IDLE_MS + 10 * 60_000
    timer.flush()
    expect(state.sent[state.sent.length - 1]).toEqual([7, IDLE_MS])
    state.now += 1000
    timer.input()
    state.now += 20_000
    timer.flush()
    expect(state.sent[state.sent.length - 1]).toEqual([7, 20_000])
  })

  it('counts nothing while the tab is hidden, and sends what it had when hidden', () => {
    const { state, timer } = setup()
    timer.start(7)
    state.now += 10_000
    state.visible = false
    timer.visibility()
    expect(state.sent[state.sent.length - 1]).toEqual([7, 10_000])
    state.now += 60_000
    timer.flush()
    expect(state.sent.length).toBe(2)
    state.visible = true
    timer.visibility()
    timer.input()
    state.now += 5_000
    timer.flush()
    expect(state.sent[state.sent.length - 1]).toEqual([7, 5_000])
  })

  it('sends the last part when the page is left or moves to another ticket', () => {
    const { state, timer } = setup()
    timer.start(1)
    state.now += 12_000
    timer.start(2)
    expect(state.sent).toEqual([[1, 0], [1, 12_000], [2, 0]])
    state.now += 3_000
    timer.stop()
    expect(state.sent[state.sent.length - 1]).toEqual([2, 3_000])
    timer.input()
    state.now += 3_000
    timer.flush()
    expect(state.sent.length).toBe(4)
  })
})
