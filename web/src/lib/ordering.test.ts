import { describe, expect, it } from 'vitest'
import { moved, positionChanges } from './ordering'

describe('ordering by hand', () => {
  it('moves one item to another place, and ignores a move out of the list', () => {
    expect(moved(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c'])
    expect(moved(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd'])
    expect(moved(['a', 'b'], 1, 2)).toEqual(['a', 'b'])
    expect(moved(['a', 'b'], -1, 0)).toEqual(['a', 'b'])
  })

  it('saves only the positions that change', () => {
    const views = [{ id: 3, position: 1 }, { id: 1, position: 2 }, { id: 2, position: 3 }]
    expect(positionChanges(moved(views, 2, 0))).toEqual([{ id: 2, position: 1 }, { id: 3, position: 2 }, { id: 1, position: 3 }])
    expect(positionChanges(views)).toEqual([])
    expect(positionChanges([{ id: 'x', position: 0 }, { id: 'y', position: 0 }])).toEqual([{ id: 'x', position: 1 }, { id: 'y', position: 2 }])
  })
})
