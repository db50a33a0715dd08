// Entry point: global styles, then the app (it talks to the Tauri backend; run it with the app, not a
// plain browser).
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
