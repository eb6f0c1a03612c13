import { describe, expect, it } from 'vitest'
import { visibleRange } from './window'

describe('the rows a long list keeps in the page', () => {
  it('are those on the screen and a few either side', () => {
    // The list starts 100 px down: the first screen shows rows 0–21 of 36 px.
    expect(visibleRange(2000, 36, 100, 800, 10)).toEqual([0, 33])
    // Scrolled 36,000 px into the list: row 1000 is at the top.
    expect(visibleRange(2000, 36, -36000, 800, 10)).toEqual([990, 1033])
    // At the end, never past the last row; an empty list has none.
    expect(visibleRange(2000, 36, -72000, 800, 10)).toEqual([1990, 2000])
    expect(visibleRange(2000, 36, -999999, 800, 10)).toEqual([1999, 2000])
    expect(visibleRange(0, 36, 0, 800)).toEqual([0, 0])
  })
})
