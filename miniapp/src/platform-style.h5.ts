// The H5 build's own styles (Taro picks this file over platform-style.ts for --type h5).
import './h5-navigation-bar.css';
