import { describe, expect, it } from 'vitest'
import { pageUrlProblem } from '../../src/login/page-url.js'

const ORIGIN = 'http://127.0.0.1:5173'

describe('pageUrlProblem', () => {
  it.each([
    'http://127.0.0.1:5173/',
    'http://127.0.0.1:5173/me',
    'http://127.0.0.1:5173/?code=071CyW000UGidO1SxY000uNATs1CyW04&state=Zq3xY9bK2mP7vR1t',
    'http://127.0.0.1:5173/%E6%B4%BB%E5%8A%A8?x=%E4%BD%A0&y=',
    'http://127.0.0.1:5173/?r=%2Fme',
  ])('accepts %s', (url) => {
    expect(pageUrlProblem(url, ORIGIN)).toBeNull()
  })

  it.each([
    ['http://127.0.0.1:5173/#/me', /#fragment/],
    ['http://127.0.0.1:5173/#', /#fragment/],
    ['https://evil.example.com/', /must be a page of http:\/\/127\.0\.0\.1:5173$/],
    ['http://127.0.0.1:5174/', /must be a page of/],
    ['https://127.0.0.1:5173/', /must be a page of/],
    ['http://127.0.0.1.evil.com:5173/', /must be a page of/],
    ['http://127.0.0.1:5173@evil.com/', /credentials|must be a page of/],
    ['http://user:pw@127.0.0.1:5173/', /credentials/],
    ['/me', /absolute http\(s\) URL/],
    ['//127.0.0.1:5173/me', /absolute http\(s\) URL/],
    ['javascript:alert(1)', /absolute http\(s\) URL/],
    ['ftp://127.0.0.1:5173/', /absolute http\(s\) URL/],
    ['http://127.0.0.1:5173/a b', /printable ASCII/],
    ['http://127.0.0.1:5173/\n', /printable ASCII/],
    ['http://127.0.0.1:5173/活动', /printable ASCII/],
    ['HTTP://127.0.0.1:5173/', /exactly as the browser/],
    ['http://127.0.0.1:5173', /exactly as the browser/],
    ['http://127.0.0.1:5173/./me', /exactly as the browser/],
  ])('refuses %j', (url, reason) => {
    expect(pageUrlProblem(url, ORIGIN)).toMatch(reason)
  })
})
